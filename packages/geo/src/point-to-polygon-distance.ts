import { polygonsOf, type LonLat, type Polygonal } from './geojson';
import { localPlane } from './local-plane';
import { pointInRings } from './point-in-polygon';

/**
 * Distance in metres from a point to a polygonal outline: 0 inside, else to the nearest edge.
 * Computed in a local tangent plane at the point (accurate to ~0.01 % within a few km, which is what
 * report matching needs).
 */
export function pointToPolygonDistanceM(p: LonLat, g: Polygonal): number {
  const plane = localPlane(p);
  let best = Infinity;
  for (const poly of polygonsOf(g)) {
    const rings = poly.map((r) => r.map((q) => plane.toXY(q)));
    // The point is the plane's origin.
    if (pointInRings(0, 0, rings)) return 0;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) best = Math.min(best, segDist(ring[i][0], ring[i][1], ring[j][0], ring[j][1]));
    }
  }
  return best;
}

function segDist(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax,
    dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}
