import { ringAreaM2, type LonLat, type Polygonal } from '@tiandi/geo';
import type { GridPolygon, Ring } from '../vector/outline-rings';

/** Maps grid vertices to WGS 84 and builds an RFC 7946 Polygon/MultiPolygon (exterior CCW, holes CW, rings closed). */
export function gridToGeoJson(polygons: GridPolygon[], toLonLat: (x: number, y: number) => [number, number], decimals = 8): Polygonal | undefined {
  const f = 10 ** decimals;
  const ring = (r: Ring, exterior: boolean): LonLat[] => {
    const pts: LonLat[] = r.map(([x, y]) => {
      const [lon, lat] = toLonLat(x, y);
      return [Math.round(lon * f) / f, Math.round(lat * f) / f];
    });
    pts.push([pts[0][0], pts[0][1]]);
    const ccw = ringAreaM2(pts) > 0;
    if (ccw !== exterior) pts.reverse();
    return pts;
  };
  const polys = polygons.filter((p) => p.outer.length >= 3).map((p) => [ring(p.outer, true), ...p.holes.map((h) => ring(h, false))]);
  if (!polys.length) return undefined;
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}
