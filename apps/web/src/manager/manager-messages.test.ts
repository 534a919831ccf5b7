import { describe, expect, it } from 'vitest';
import { managerEn, managerZh } from './manager-messages';

describe('manager strings', () => {
  it('has every key in both languages with the same placeholders', () => {
    expect(Object.keys(managerEn).sort()).toEqual(Object.keys(managerZh).sort());
    const vars = (s: string) => [...new Set([...s.replace(/\{\w+, plural,(\s*\w+ \{[^{}]*\})+\s*\}/g, '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
    for (const [k, zh] of Object.entries(managerZh)) expect(vars(managerEn[k as keyof typeof managerZh]), k).toEqual(vars(zh));
  });
});
