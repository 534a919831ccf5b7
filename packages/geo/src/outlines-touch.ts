import type { PlanarRing } from './point-in-polygon';
import { pointInRing } from './point-in-polygon';

/**
 * The closed rule: whether the regions bounded by two polygons' outer rings (`a[0]`, `b[0]`; rings
 * outer first) share any point, boundary included: polygons that only touch along an edge or at a
 * corner count. Holes are not looked at: a candidate inside a plot's hole still touches it. Planar.
 * Compare {@link polygonsIntersect}, the open rule on whole geometries (shared interior), for
 * zones; this one is for scoring detections, where a candidate touching a plot found it.
 * @example outlinesTouch([[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]], [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]) // true: the squares share an edge
 */
export function outlinesTouch(polygonA: ReadonlyArray<PlanarRing>, polygonB: ReadonlyArray<PlanarRing>): boolean {
  const a = polygonA[0],
    b = polygonB[0];
  if (!a?.length || !b?.length) return false;
  const ba = bbox(a),
    bb = bbox(b);
  if (ba[2] < bb[0] || bb[2] < ba[0] || ba[3] < bb[1] || bb[3] < ba[1]) return false;
  if (pointInRing(a[0][0], a[0][1], b) || pointInRing(b[0][0], b[0][1], a)) return true;
  for (let i = 0; i < a.length - 1; i++) {
    for (let j = 0; j < b.length - 1; j++) if (segmentsMeet(a[i], a[i + 1], b[j], b[j + 1])) return true;
  }
  return false;
}

function bbox(r: PlanarRing): [number, number, number, number] {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of r) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

type XY = readonly [number, number];

function orient(a: XY, b: XY, c: XY): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: XY, b: XY, p: XY): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

/** Closed segments share a point: a crossing, a touching end, or collinear overlap. */
function segmentsMeet(p1: XY, p2: XY, q1: XY, q2: XY): boolean {
  const o1 = orient(p1, p2, q1),
    o2 = orient(p1, p2, q2),
    o3 = orient(q1, q2, p1),
    o4 = orient(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(p1, p2, q1)) return true;
  if (o2 === 0 && onSegment(p1, p2, q2)) return true;
  if (o3 === 0 && onSegment(q1, q2, p1)) return true;
  if (o4 === 0 && onSegment(q1, q2, p2)) return true;
  return false;
}
