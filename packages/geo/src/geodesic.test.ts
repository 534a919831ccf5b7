import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import GeographicLibModule from 'geographiclib-geodesic';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const GeographicLib = GeographicLibModule as any;
import { geodesicAreaM2 } from './geodesic-area';
import { geodesicDistanceM, geodesicLengthM } from './geodesic-distance';
import type { LonLat, Polygon } from './geojson';

const geod: any = GeographicLib.Geodesic.WGS84;

function refArea(ring: LonLat[]): number {
  const p = geod.Polygon(false);
  for (const [lon, lat] of ring.slice(0, -1)) p.AddPoint(lat, lon);
  return Math.abs(p.Compute(false, true).area as number);
}

function square(lon: number, lat: number, dDeg: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dDeg, lat],
        [lon + dDeg, lat + dDeg],
        [lon, lat + dDeg],
        [lon, lat],
      ],
    ],
  };
}

describe('geodesicAreaM2', () => {
  it('matches GeographicLib on squares from 10 m to 50 km, equator to 60°N, within 0.01 %', () => {
    for (const lat of [0, 22.5, 25, 45, 60]) {
      for (const d of [0.0001, 0.01, 0.1, 0.5]) {
        const g = square(100, lat, d);
        const ours = geodesicAreaM2(g);
        const ref = refArea(g.coordinates[0]);
        expect(Math.abs(ours - ref) / ref).toBeLessThan(1e-4);
      }
    }
  });

  it('matches GeographicLib on random village-sized polygons within 0.1 %', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 97, max: 106, noNaN: true }),
        fc.double({ min: 18, max: 30, noNaN: true }),
        fc.array(fc.double({ min: 200, max: 5000, noNaN: true }), { minLength: 3, maxLength: 12 }),
        (lon, lat, radiiM) => {
          const n = radiiM.length;
          const ring: LonLat[] = radiiM.map((r, i) => {
            const a = (2 * Math.PI * i) / n;
            return [lon + (r * Math.cos(a)) / (111320 * Math.cos((lat * Math.PI) / 180)), lat + (r * Math.sin(a)) / 110574];
          });
          ring.push(ring[0]);
          const ours = geodesicAreaM2({ type: 'Polygon', coordinates: [ring] });
          const ref = refArea(ring);
          return Math.abs(ours - ref) / ref < 1e-3;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('subtracts holes and sums multipolygon parts', () => {
    const outer = square(100, 25, 0.01).coordinates[0];
    const hole = square(100.004, 25.004, 0.002).coordinates[0].slice().reverse();
    const a = geodesicAreaM2({ type: 'Polygon', coordinates: [outer, hole] });
    expect(Math.abs(a - (refArea(outer) - refArea(hole))) / a).toBeLessThan(1e-4);
    const m = geodesicAreaM2({ type: 'MultiPolygon', coordinates: [[outer], [square(101, 25, 0.01).coordinates[0]]] });
    expect(m / refArea(outer)).toBeCloseTo(2, 3);
  });
});

describe('geodesicDistanceM', () => {
  it('matches GeographicLib Inverse within 1 mm on random pairs in China', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.double({ min: 73, max: 135, noNaN: true }), fc.double({ min: 18, max: 53, noNaN: true })),
        fc.tuple(fc.double({ min: 73, max: 135, noNaN: true }), fc.double({ min: 18, max: 53, noNaN: true })),
        (a, b) => {
          const ref = geod.Inverse(a[1], a[0], b[1], b[0]).s12 as number;
          return Math.abs(geodesicDistanceM(a as LonLat, b as LonLat) - ref) < 1e-3;
        },
      ),
      { numRuns: 300 },
    );
  });
  it('sums a polyline', () => {
    const line: LonLat[] = [
      [100, 25],
      [100.01, 25],
      [100.01, 25.01],
    ];
    const ref = (geod.Inverse(25, 100, 25, 100.01).s12 as number) + (geod.Inverse(25, 100.01, 25.01, 100.01).s12 as number);
    expect(geodesicLengthM(line)).toBeCloseTo(ref, 3);
  });
});
