/** A polygon as rings of [x, y] (outer ring first; holes ignored for intersection tests). */
export type Rings = Array<Array<[number, number]>>;

/**
 * True when two polygons share any area or boundary point (planar test; fine for lon/lat at plot
 * scale). Holes are ignored: a candidate inside a plot's hole still counts as touching it.
 * @example polygonsIntersect([[[0,0],[2,0],[2,2],[0,2]]], [[[1,1],[3,1],[3,3],[1,3]]]) // true
 */
export function polygonsIntersect(a: Rings, b: Rings): boolean {
  const ra = a[0], rb = b[0];
  if (!ra?.length || !rb?.length) return false;
  const ba = bbox(ra), bb = bbox(rb);
  if (ba[2] < bb[0] || bb[2] < ba[0] || ba[3] < bb[1] || bb[3] < ba[1]) return false;
  if (inRing(rb, ra[0][0], ra[0][1]) || inRing(ra, rb[0][0], rb[0][1])) return true;
  for (let i = 0; i < ra.length - 1; i++) {
    for (let j = 0; j < rb.length - 1; j++) {
      if (segmentsCross(ra[i], ra[i + 1], rb[j], rb[j + 1])) return true;
    }
  }
  return false;
}

function bbox(r: Array<[number, number]>): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of r) { if (x < x0) x0 = x; if (y < y0) y0 = y; if (x > x1) x1 = x; if (y > y1) y1 = y; }
  return [x0, y0, x1, y1];
}

function inRing(r: Array<[number, number]>, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i], [xj, yj] = r[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function orient(a: [number, number], b: [number, number], c: [number, number]): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSeg(a: [number, number], b: [number, number], p: [number, number]): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

function segmentsCross(p1: [number, number], p2: [number, number], q1: [number, number], q2: [number, number]): boolean {
  const o1 = orient(p1, p2, q1), o2 = orient(p1, p2, q2), o3 = orient(q1, q2, p1), o4 = orient(q1, q2, p2);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSeg(p1, p2, q1)) return true;
  if (o2 === 0 && onSeg(p1, p2, q2)) return true;
  if (o3 === 0 && onSeg(q1, q2, p1)) return true;
  if (o4 === 0 && onSeg(q1, q2, p2)) return true;
  return false;
}
