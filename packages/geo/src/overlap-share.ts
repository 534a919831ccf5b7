import { boxPolygon } from './box-polygon';
import { bboxOf, polygonsOf, type LonLat, type Polygonal } from './geojson';
import { pointInRings } from './point-in-polygon';
import { geodesicAreaM2 } from './geodesic-area';
import { overlapAreaM2 } from './polygon-ops';

const GRID = 24;

/**
 * Whether the overlap of `a` and `b` is at least `minShare` of the smaller one's area (and not zero).
 * Decides most pairs from a 24 × 24 sample grid over the two boxes' intersection (plain floats, fast);
 * pairs near the threshold are decided by the exact clipped area. Deterministic.
 */
export function overlapsAtLeast(a: Polygonal, b: Polygonal, minShare: number, areaA = geodesicAreaM2(a), areaB = geodesicAreaM2(b)): boolean {
  const ba = bboxOf(a),
    bb = bboxOf(b);
  const x0 = Math.max(ba[0], bb[0]),
    y0 = Math.max(ba[1], bb[1]),
    x1 = Math.min(ba[2], bb[2]),
    y1 = Math.min(ba[3], bb[3]);
  if (x0 >= x1 || y0 >= y1) return false;
  const pa = polygonsOf(a),
    pb = polygonsOf(b);
  let hits = 0;
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      const p: LonLat = [x0 + ((i + 0.5) / GRID) * (x1 - x0), y0 + ((j + 0.5) / GRID) * (y1 - y0)];
      if (inAny(p, pa) && inAny(p, pb)) hits++;
    }
  }
  const boxM2 = geodesicAreaM2(boxPolygon(x0, y0, x1, y1));
  const estimate = (hits / (GRID * GRID)) * boxM2;
  const need = minShare * Math.min(areaA, areaB);
  // The sample error is at most about one grid row and column of the box: decide only outside that band.
  const band = (2 / GRID) * boxM2;
  // A sample strictly inside both means the overlap has positive area.
  if (hits > 0 && estimate - band >= need) return true;
  if (estimate + band < need) return false;
  const exact = overlapAreaM2(a, b);
  return exact > 0 && exact >= need;
}

const inAny = (p: LonLat, polys: LonLat[][][]): boolean => polys.some((rings) => pointInRings(p[0], p[1], rings));
