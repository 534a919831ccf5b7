import { bboxOf, polygonsOf, type LonLat, type Polygonal } from './geojson';
import { pointInRings } from './point-in-polygon';

function cross(o: LonLat, a: LonLat, b: LonLat): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/** Proper crossing of two segments (touching at an end or running along each other does not count). */
function segmentsCross(p1: LonLat, p2: LonLat, q1: LonLat, q2: LonLat): boolean {
  const d1 = cross(q1, q2, p1),
    d2 = cross(q1, q2, p2),
    d3 = cross(p1, p2, q1),
    d4 = cross(p1, p2, q2);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/**
 * The open rule: whether two polygonal geometries share interior — a vertex of one inside the other,
 * or edges properly crossing. Plain floats, no clipping: the fast test for "does this target /
 * footprint / report fall in this zone". Geometries that only touch along an edge or at a corner may
 * go either way (a shared boundary is not evidence about a zone). Compare {@link outlinesTouch}, the
 * closed rule (touching counts), for scoring detections.
 */
export function polygonsIntersect(a: Polygonal, b: Polygonal): boolean {
  const ba = bboxOf(a),
    bb = bboxOf(b);
  if (ba[0] > bb[2] || bb[0] > ba[2] || ba[1] > bb[3] || bb[1] > ba[3]) return false;
  const pa = polygonsOf(a),
    pb = polygonsOf(b);
  for (const poly of pa)
    for (const q of pb) {
      if (poly[0].some((p) => pointInRings(p[0], p[1], q)) || q[0].some((p) => pointInRings(p[0], p[1], poly))) return true;
      for (const ra of poly)
        for (const rb of q) {
          for (let i = 1; i < ra.length; i++) for (let j = 1; j < rb.length; j++) if (segmentsCross(ra[i - 1], ra[i], rb[j - 1], rb[j])) return true;
        }
    }
  return false;
}
