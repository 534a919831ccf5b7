/** Navigation helpers of the field view: pure functions on [lon, lat] (WGS 84). */
import { haversineM } from '@tiandi/geo/primitives';

const R_M = 6371008.8;
const RAD = Math.PI / 180;

/**
 * Great-circle distance in metres (mean Earth radius): @tiandi/geo's haversineM. Within 0.5 % of the
 * geodesic distance — enough for "how far to the next stop"; areas and certification use the geodesic functions.
 */
export const distanceM = (a: [number, number], b: [number, number]): number => haversineM(a, b);

/** Initial bearing from `a` to `b` in degrees clockwise from true north, 0 ≤ result < 360. */
export function bearingDeg(a: [number, number], b: [number, number]): number {
  const φ1 = a[1] * RAD,
    φ2 = b[1] * RAD,
    Δλ = (b[0] - a[0]) * RAD;
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return (((Math.atan2(y, x) / RAD) % 360) + 360) % 360;
}

const POINTS_ZH = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'];
const POINTS_EN = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'];

/** The 8-point compass name of a bearing: 100° → '东' / 'E'. */
export function compassPoint(bearing: number, lang: 'zh-CN' | 'en'): string {
  const i = Math.round((((bearing % 360) + 360) % 360) / 45) % 8;
  return (lang === 'en' ? POINTS_EN : POINTS_ZH)[i];
}

/** A distance for people: '850 m', '1.2 km', '12 km'. */
export function formatDistance(m: number): string {
  if (m < 1000) return `${Math.round(m)} m`;
  if (m < 10_000) return `${(m / 1000).toFixed(1)} km`;
  return `${Math.round(m / 1000)} km`;
}

/** A polygon approximating a circle of `radiusM` around a point (for the GPS accuracy ring). */
export function circlePolygon(center: [number, number], radiusM: number, steps = 48): [number, number][] {
  const ring: [number, number][] = [];
  const dLat = radiusM / (R_M * RAD);
  const dLon = dLat / Math.max(Math.cos(center[1] * RAD), 1e-6);
  for (let i = 0; i <= steps; i++) {
    const a = (i / steps) * 2 * Math.PI;
    ring.push([center[0] + dLon * Math.sin(a), center[1] + dLat * Math.cos(a)]);
  }
  return ring;
}

/** The first stop of a route with no report yet, or null when all are reported. */
export function nextOpenStop<S extends { targetId: string | null }>(stops: S[], reported: Set<string>): S | null {
  return stops.find((s) => !s.targetId || !reported.has(s.targetId)) ?? null;
}
