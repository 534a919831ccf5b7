import { describe, expect, it } from 'vitest';
import { homePage, mayOpen, pagesFor } from './role-tabs';

const ALL = ['operator', 'planner', 'field', 'manager'];

describe('role tabs', () => {
  it('shows each role only the pages it may use', () => {
    expect(pagesFor('field', ALL)).toEqual(['field']);
    expect(pagesFor('operator', ALL)).toEqual(['operator']);
    expect(pagesFor('planner', ALL)).toEqual(['planner']);
    expect(pagesFor('manager', ALL)).toEqual(['manager']);
    expect(pagesFor('admin', ALL)).toEqual(['operator', 'planner', 'manager']);
    expect(pagesFor(null, ALL)).toEqual(ALL);
  });
  it('refuses a page of another role, leaves unknown pages to "not found", and lands each role on its own page', () => {
    expect(mayOpen('field', 'operator', ALL)).toBe(false);
    expect(mayOpen('field', 'field', ALL)).toBe(true);
    expect(mayOpen('admin', 'field', ALL)).toBe(false);
    expect(mayOpen('planner', 'nosuch', ALL)).toBe(true);
    expect(homePage('field', ALL, 'operator')).toBe('field');
    expect(homePage('manager', ALL, 'operator')).toBe('manager');
    expect(homePage(null, ALL, 'operator')).toBe('operator');
  });
});
