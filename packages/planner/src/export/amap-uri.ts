import gcoord from 'gcoord';
import type { LonLat } from '@tiandi/geo';

/**
 * WGS 84 → GCJ-02 (the offset used by Gaode/Tencent maps in China), via `gcoord`. Outside China the
 * point is returned unchanged, as the apps expect.
 */
export function toGcj02(p: LonLat): LonLat {
  const [lon, lat] = gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [lon, lat];
}

/**
 * A Gaode (amap) navigation link to a WGS 84 point: the coordinates in the URI are converted to
 * GCJ-02 (`coordinate=gaode`), 6 decimals (~0.1 m).
 * @example amapNavigationUriGcj02([102.3, 27.9], 'T-12') // https://uri.amap.com/navigation?to=102.3…,27.89…,T-12&mode=car…
 */
export function amapNavigationUriGcj02(p: LonLat, name: string, mode: 'car' | 'walk' = 'car'): string {
  const [lon, lat] = toGcj02(p);
  const to = `${lon.toFixed(6)},${lat.toFixed(6)},${encodeURIComponent(name)}`;
  return `https://uri.amap.com/navigation?to=${to}&mode=${mode}&policy=1&src=tiandi&coordinate=gaode&callnative=1`;
}
