import { polygonsOf, type LonLat, type Polygonal } from './geojson';

/** A planar ring of [x, y] vertices: lon/lat, or pixel or grid coordinates. Closed or open: the closing edge is implied. */
export type PlanarRing = ReadonlyArray<readonly [number, number]>;

/**
 * Whether (x, y) lies inside a ring, by the even–odd (crossing-number) rule. Planar: fine for lon/lat
 * at plot and village scale. A point exactly on an edge may go either way. No allocation, so it is
 * safe in per-pixel loops.
 * @example pointInRing(1, 1, [[0, 0], [2, 0], [2, 2], [0, 2]]) // true
 */
export function pointInRing(x: number, y: number, ring: PlanarRing): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0],
      yi = ring[i][1],
      xj = ring[j][0],
      yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Whether (x, y) lies inside a polygon given as rings (outer first, then holes): even–odd over all
 * rings, so a point in a hole is outside.
 */
export function pointInRings(x: number, y: number, rings: ReadonlyArray<PlanarRing>): boolean {
  let inside = false;
  for (const ring of rings) if (pointInRing(x, y, ring)) inside = !inside;
  return inside;
}

/**
 * Whether a [lon, lat] point lies inside a Polygon or any part of a MultiPolygon (holes excluded).
 * @example pointInPolygonal([100.5, 25.5], zone.geometry)
 */
export function pointInPolygonal(p: LonLat, g: Polygonal): boolean {
  return polygonsOf(g).some((rings) => pointInRings(p[0], p[1], rings));
}
