import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { polygonsIntersect } from './polygons-intersect';
import { overlapAreaM2 } from './polygon-ops';
import { rect } from './fixtures.test-util';

describe('polygonsIntersect', () => {
  it('agrees with clipping on random rectangles (away from exact touching)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 8, maxLength: 8 }), ([a, b, c, d, e, f, g, h]) => {
        const A = rect(100 + Math.min(a, b) * 1e-4, 25 + Math.min(c, d) * 1e-4, 100 + (Math.max(a, b) + 1) * 1e-4, 25 + (Math.max(c, d) + 1) * 1e-4);
        const B = rect(
          100 + (Math.min(e, f) + 0.5) * 1e-4,
          25 + (Math.min(g, h) + 0.5) * 1e-4,
          100 + (Math.max(e, f) + 1.3) * 1e-4,
          25 + (Math.max(g, h) + 1.3) * 1e-4,
        );
        expect(polygonsIntersect(A, B)).toBe(overlapAreaM2(A, B) > 0);
      }),
      { numRuns: 300 },
    );
  });
  it('finds a cross-shaped overlap with no vertex inside the other', () => {
    expect(polygonsIntersect(rect(100, 25.001, 100.003, 25.002), rect(100.001, 25, 100.002, 25.003))).toBe(true);
  });
});
