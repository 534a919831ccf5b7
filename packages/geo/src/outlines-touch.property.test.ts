import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boxPolygon } from './box-polygon';
import { outlinesTouch } from './outlines-touch';
import { polygonsIntersect } from './polygons-intersect';

const box = fc
  .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }))
  .map(([x, y, w, h]) => [x, y, x + w, y + h] as const);
type Box = readonly [number, number, number, number];
/** Closed boxes meet (touching counts); open boxes share interior. Exact on integer corners. */
const closedMeet = (a: Box, b: Box): boolean => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
const openMeet = (a: Box, b: Box): boolean => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

describe('the two intersection rules', () => {
  it('outlinesTouch is the closed rule: boxes meet when they overlap or only touch', () => {
    fc.assert(
      fc.property(box, box, (a, b) => {
        expect(outlinesTouch(boxPolygon(...a).coordinates, boxPolygon(...b).coordinates)).toBe(closedMeet(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('polygonsIntersect is the open rule on boxes that overlap or are apart; both are symmetric; open implies closed', () => {
    fc.assert(
      fc.property(box, box, (a, b) => {
        const A = boxPolygon(...a),
          B = boxPolygon(...b);
        const open = polygonsIntersect(A, B);
        expect(polygonsIntersect(B, A)).toBe(open);
        expect(outlinesTouch(B.coordinates, A.coordinates)).toBe(outlinesTouch(A.coordinates, B.coordinates));
        if (open) expect(outlinesTouch(A.coordinates, B.coordinates)).toBe(true);
        // Contact only along an edge or at a corner is the one case the open rule leaves open.
        if (openMeet(a, b) || !closedMeet(a, b)) expect(open).toBe(openMeet(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('detects overlap, containment both ways, touching edges, a gap, and a cross with no vertex inside the other', () => {
    const sq = (x: number, y: number, s: number): Array<[number, number]> => [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ];
    expect(outlinesTouch([sq(0, 0, 2)], [sq(1, 1, 2)])).toBe(true);
    expect(outlinesTouch([sq(0, 0, 10)], [sq(4, 4, 1)])).toBe(true);
    expect(outlinesTouch([sq(4, 4, 1)], [sq(0, 0, 10)])).toBe(true);
    expect(outlinesTouch([sq(0, 0, 1)], [sq(1, 0, 1)])).toBe(true);
    expect(outlinesTouch([sq(0, 0, 1)], [sq(1.01, 0, 1)])).toBe(false);
    expect(
      outlinesTouch(
        [
          [
            [0, 1],
            [3, 1],
            [3, 2],
            [0, 2],
            [0, 1],
          ],
        ],
        [
          [
            [1, 0],
            [2, 0],
            [2, 3],
            [1, 3],
            [1, 0],
          ],
        ],
      ),
    ).toBe(true);
  });

  it('touching squares: only the closed rule says they meet', () => {
    const a = boxPolygon(0, 0, 1, 1),
      b = boxPolygon(1, 0, 2, 1),
      c = boxPolygon(1.01, 0, 2, 1);
    expect(outlinesTouch(a.coordinates, b.coordinates)).toBe(true);
    expect(outlinesTouch(a.coordinates, c.coordinates)).toBe(false);
    expect(outlinesTouch([], b.coordinates)).toBe(false);
  });
});
