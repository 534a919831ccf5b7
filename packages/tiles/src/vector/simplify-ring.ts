import { ringArea, type Ring } from './outline-rings';

function perpDist(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dx * (a[1] - p[1]) - dy * (a[0] - p[0])) / len;
}

function dp(pts: [number, number][], tol: number, keep: Uint8Array, lo: number, hi: number): void {
  let max = 0;
  let idx = -1;
  for (let i = lo + 1; i < hi; i++) {
    const d = perpDist(pts[i], pts[lo], pts[hi]);
    if (d > max) {
      max = d;
      idx = i;
    }
  }
  if (idx >= 0 && max > tol) {
    keep[idx] = 1;
    dp(pts, tol, keep, lo, idx);
    dp(pts, tol, keep, idx, hi);
  }
}

/**
 * Douglas–Peucker simplification of a closed ring with tolerance `tol` (grid units), anchored at the
 * two vertices farthest apart. Returns the original ring when simplification would leave fewer than
 * four vertices or change the area by more than `maxAreaChange` (so small plots are never lost).
 */
export function simplifyRing(ring: Ring, tol: number, maxAreaChange = 0.1): Ring {
  if (ring.length <= 4 || tol <= 0) return ring;
  let far = 0;
  let farD = -1;
  for (let i = 1; i < ring.length; i++) {
    const d = Math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]);
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const pts = [...ring, ring[0]];
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[far] = keep[pts.length - 1] = 1;
  dp(pts, tol, keep, 0, far);
  dp(pts, tol, keep, far, pts.length - 1);
  const out: Ring = [];
  for (let i = 0; i < ring.length; i++) if (keep[i]) out.push(ring[i]);
  const a0 = ringArea(ring);
  if (out.length < 4 || Math.abs(ringArea(out) - a0) > Math.abs(a0) * maxAreaChange) return ring;
  return out;
}
