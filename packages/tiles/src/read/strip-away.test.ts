import { describe, expect, it } from 'vitest';
import { claimBack, claimFront, stripClaims } from './strip-away';

describe('strip claims', () => {
  it('hands every strip of a band out once, from the front and the back, until they meet', () => {
    const a = stripClaims(5);
    expect([claimFront(a), claimBack(a), claimBack(a), claimFront(a), claimBack(a)]).toEqual([0, 4, 3, 1, 2]);
    expect([claimFront(a), claimBack(a)]).toEqual([-1, -1]);
    // A band of the most strips one holds (32 one-row strips).
    const b = stripClaims(32);
    const seen = [];
    for (let k = claimBack(b); k >= 0; k = claimBack(b)) seen.push(k);
    expect(seen).toEqual(Array.from({ length: 32 }, (_, i) => 31 - i));
  });
});
