import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { overlapsAtLeast } from './overlap-share';
import { overlapAreaM2 } from './polygon-ops';
import { geodesicAreaM2 } from './geodesic-area';
import { rect } from './fixtures.test-util';
import type { LonLat, Polygon } from './geojson';

const blob = (cx: number, cy: number, r: number, k: number, wobble: number[]): Polygon => {
  const ring: LonLat[] = Array.from({ length: k }, (_, i) => {
    const a = (2 * Math.PI * i) / k;
    const rr = r * (0.6 + 0.4 * wobble[i % wobble.length]);
    return [cx + rr * Math.cos(a), cy + rr * Math.sin(a)];
  });
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
};

describe('overlapsAtLeast', () => {
  it('agrees with the exact clipped area on random plots', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3e-4, max: 3e-4, noNaN: true }),
        fc.double({ min: -3e-4, max: 3e-4, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 9 }),
        fc.constantFrom(0, 0.1, 0.3, 0.5),
        (dx, dy, wob, share) => {
          const a = blob(100, 25, 2e-4, 11, wob),
            b = blob(100 + dx, 25 + dy, 1.5e-4, 7, wob.slice().reverse());
          const exact = overlapAreaM2(a, b);
          const expected = exact > 0 && exact >= share * Math.min(geodesicAreaM2(a), geodesicAreaM2(b));
          expect(overlapsAtLeast(a, b, share)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('touching plots do not overlap; identical ones do', () => {
    expect(overlapsAtLeast(rect(100, 25, 100.0002, 25.0002), rect(100.0002, 25, 100.0004, 25.0002), 0)).toBe(false);
    expect(overlapsAtLeast(rect(100, 25, 100.0002, 25.0002), rect(100, 25, 100.0002, 25.0002), 0.99)).toBe(true);
  });
});
