import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boxPolygon } from './box-polygon';
import type { LonLat } from './geojson';
import { pointInPolygonal, pointInRing, pointInRings } from './point-in-polygon';

/** Integer coordinates offset by a half: never on a box edge whose corners are integers. */
const halfPoint = fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 })).map(([x, y]): LonLat => [x + 0.5, y + 0.5]);
const box = fc
  .tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 15 }))
  .map(([x, y, w, h]) => [x, y, x + w, y + h] as const);
const inBox = (p: LonLat, b: readonly [number, number, number, number]): boolean => p[0] > b[0] && p[0] < b[2] && p[1] > b[1] && p[1] < b[3];
/** A star-shaped (so simple) ring around (cx, cy) from radii at evenly spread angles: (cx, cy) is strictly inside it. */
const starAround = fc
  .tuple(
    fc.double({ min: -5, max: 5, noNaN: true }),
    fc.double({ min: -5, max: 5, noNaN: true }),
    fc.array(fc.double({ min: 0.5, max: 4, noNaN: true }), { minLength: 3, maxLength: 12 }),
  )
  .map(([cx, cy, radii]) => ({
    cx,
    cy,
    ring: radii.map((r, i): [number, number] => [cx + r * Math.cos((2 * Math.PI * i) / radii.length), cy + r * Math.sin((2 * Math.PI * i) / radii.length)]),
  }));
const star = starAround.map((s) => s.ring);

describe('pointInRing', () => {
  it('is exactly "strictly inside the box" for boxes', () => {
    fc.assert(
      fc.property(box, halfPoint, (b, p) => {
        expect(pointInRing(p[0], p[1], boxPolygon(...b).coordinates[0])).toBe(inBox(p, b));
      }),
    );
  });

  it('does not depend on orientation, the starting vertex or a repeated closing vertex', () => {
    fc.assert(
      fc.property(star, fc.nat(), fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), (ring, k, x, y) => {
        const want = pointInRing(x, y, ring);
        const s = k % ring.length;
        const rotated = [...ring.slice(s), ...ring.slice(0, s)];
        expect(pointInRing(x, y, ring.slice().reverse())).toBe(want);
        expect(pointInRing(x, y, rotated)).toBe(want);
        expect(pointInRing(x, y, [...ring, ring[0]])).toBe(want);
      }),
    );
  });

  it('holds the centre of a star-shaped ring and nothing beyond its farthest vertex', () => {
    fc.assert(
      fc.property(starAround, ({ cx, cy, ring }) => {
        expect(pointInRing(cx, cy, ring)).toBe(true);
        const far = Math.max(...ring.map((p) => Math.hypot(p[0] - cx, p[1] - cy))) + 1;
        expect(pointInRing(cx + far, cy, ring)).toBe(false);
        expect(pointInRing(cx, cy - far, ring)).toBe(false);
      }),
    );
  });
});

describe('pointInRings and pointInPolygonal', () => {
  it('a point in a hole is outside; in the ring around it, inside', () => {
    fc.assert(
      fc.property(box, halfPoint, (b, p) => {
        const outer = boxPolygon(b[0] - 3, b[1] - 3, b[2] + 3, b[3] + 3).coordinates[0];
        const hole = boxPolygon(...b).coordinates[0];
        const outerBox = [b[0] - 3, b[1] - 3, b[2] + 3, b[3] + 3] as const;
        expect(pointInRings(p[0], p[1], [outer, hole])).toBe(inBox(p, outerBox) && !inBox(p, b));
        expect(pointInPolygonal(p, { type: 'Polygon', coordinates: [outer, hole] })).toBe(inBox(p, outerBox) && !inBox(p, b));
      }),
    );
  });

  it('is inside a MultiPolygon when inside any of its parts', () => {
    fc.assert(
      fc.property(box, box, halfPoint, (a, b, p) => {
        const mp = { type: 'MultiPolygon' as const, coordinates: [boxPolygon(...a).coordinates, boxPolygon(...b).coordinates] };
        expect(pointInPolygonal(p, mp)).toBe(inBox(p, a) || inBox(p, b));
      }),
    );
  });
});
