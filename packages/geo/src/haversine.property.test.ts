import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LonLat } from './geojson';
import { geodesicDistanceM, haversineM } from './geodesic-distance';

/** Points in and around Yunnan (where the surveys are), within ~50 km of each other. */
const near = fc
  .tuple(
    fc.double({ min: 97, max: 106, noNaN: true }),
    fc.double({ min: 21, max: 29, noNaN: true }),
    fc.double({ min: -0.4, max: 0.4, noNaN: true }),
    fc.double({ min: -0.4, max: 0.4, noNaN: true }),
  )
  .map(([lon, lat, dx, dy]): [LonLat, LonLat] => [
    [lon, lat],
    [lon + dx, lat + dy],
  ]);

describe('haversineM', () => {
  it('is a distance: zero to itself, symmetric, and no shortcut through a third point', () => {
    fc.assert(
      fc.property(near, near, ([a, b], [c]) => {
        expect(haversineM(a, a)).toBe(0);
        expect(haversineM(a, b)).toBeCloseTo(haversineM(b, a), 6);
        expect(haversineM(a, b)).toBeLessThanOrEqual(haversineM(a, c) + haversineM(c, b) + 1e-6);
      }),
    );
  });

  it('is within 0.5 % of the WGS 84 geodesic at survey scale', () => {
    fc.assert(
      fc.property(near, ([a, b]) => {
        const g = geodesicDistanceM(a, b);
        if (g > 1) expect(Math.abs(haversineM(a, b) / g - 1)).toBeLessThan(0.005);
      }),
    );
  });
});
