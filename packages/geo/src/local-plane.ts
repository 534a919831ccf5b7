import { WGS84, WGS84_E2 } from './ellipsoid';
import type { LonLat } from './geojson';

const DEG = Math.PI / 180;

/** A local tangent plane around an origin: [lon, lat] ↔ [east, north] metres. Accurate to ~1e-4 relative within a few km. */
export interface LocalPlane {
  toXY(p: LonLat): [number, number];
}

/** Builds the local plane at `origin` using the ellipsoid's meridional and prime-vertical radii. */
export function localPlane(origin: LonLat): LocalPlane {
  const phi = origin[1] * DEG;
  const s = Math.sin(phi);
  const w = Math.sqrt(1 - WGS84_E2 * s * s);
  const N = WGS84.aM / w;
  const M = (WGS84.aM * (1 - WGS84_E2)) / (w * w * w);
  const kx = N * Math.cos(phi) * DEG;
  const ky = M * DEG;
  return { toXY: (p) => [(p[0] - origin[0]) * kx, (p[1] - origin[1]) * ky] };
}
