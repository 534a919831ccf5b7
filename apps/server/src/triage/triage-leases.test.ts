import { describe, expect, it } from 'vitest';
import { LEASE_MS, TriageLeases } from './triage-leases';

describe('TriageLeases', () => {
  it('gives a target to one reviewer at a time until they release it or the lease runs out', () => {
    let now = 0;
    const l = new TriageLeases(() => now);
    expect(l.claim(['a', 'b'], 'li')).toEqual(['a', 'b']);
    expect(l.claim(['b', 'c'], 'wang')).toEqual(['c']);
    expect(l.heldByOther('b', 'wang')).toBe('li');
    expect(l.heldByOther('b', 'li')).toBeNull();
    l.release('b', 'wang'); // not theirs: nothing happens
    expect(l.heldByOther('b', 'wang')).toBe('li');
    l.release('b', 'li');
    expect(l.claim(['b'], 'wang')).toEqual(['b']);
    now = LEASE_MS + 1;
    expect(l.heldByOther('a', 'wang')).toBeNull();
    l.sweep();
    expect(l.claim(['a'], 'wang')).toEqual(['a']);
  });
});
