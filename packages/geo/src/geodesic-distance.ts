import { WGS84, WGS84_B_M } from './ellipsoid';
import type { LonLat } from './geojson';

const DEG = Math.PI / 180;

/**
 * Geodesic distance in metres between two [lon, lat] points on WGS 84 (Vincenty's inverse formula,
 * sub-millimetre for non-antipodal points; falls back to the mean-radius great circle if it does not converge).
 */
export function geodesicDistanceM(p1: LonLat, p2: LonLat): number {
  const a = WGS84.aM,
    f = WGS84.f,
    b = WGS84_B_M;
  const L = (p2[0] - p1[0]) * DEG;
  const U1 = Math.atan((1 - f) * Math.tan(p1[1] * DEG));
  const U2 = Math.atan((1 - f) * Math.tan(p2[1] * DEG));
  const sinU1 = Math.sin(U1),
    cosU1 = Math.cos(U1),
    sinU2 = Math.sin(U2),
    cosU2 = Math.cos(U2);
  let lambda = L;
  for (let iter = 0; iter < 200; iter++) {
    const sinL = Math.sin(lambda),
      cosL = Math.cos(lambda);
    const sinSigma = Math.sqrt((cosU2 * sinL) ** 2 + (cosU1 * sinU2 - sinU1 * cosU2 * cosL) ** 2);
    if (sinSigma === 0) return 0;
    const cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
    const sigma = Math.atan2(sinSigma, cosSigma);
    const sinAlpha = (cosU1 * cosU2 * sinL) / sinSigma;
    const cos2Alpha = 1 - sinAlpha * sinAlpha;
    const cos2SigmaM = cos2Alpha === 0 ? 0 : cosSigma - (2 * sinU1 * sinU2) / cos2Alpha;
    const C = (f / 16) * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha));
    const prev = lambda;
    lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM ** 2)));
    if (Math.abs(lambda - prev) < 1e-12) {
      const u2 = (cos2Alpha * (a * a - b * b)) / (b * b);
      const A = 1 + (u2 / 16384) * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
      const B = (u2 / 1024) * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
      const dSigma =
        B *
        sinSigma *
        (cos2SigmaM + (B / 4) * (cosSigma * (-1 + 2 * cos2SigmaM ** 2) - (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma ** 2) * (-3 + 4 * cos2SigmaM ** 2)));
      return b * A * (sigma - dSigma);
    }
  }
  return haversineM(p1, p2);
}

/**
 * Great-circle distance in metres on the mean Earth sphere (R = 6 371 008.8 m): within 0.5 % of the
 * geodesic, and cheap — for "how far to the next stop" and straight walks, not for areas or certificates.
 * @example haversineM([102.30, 27.90], [102.31, 27.90]) // ≈ 983 m
 */
export function haversineM(a: LonLat, b: LonLat): number {
  const dLat = (b[1] - a[1]) * DEG;
  const dLon = (b[0] - a[0]) * DEG;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * DEG) * Math.cos(b[1] * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Geodesic length in metres of a polyline of [lon, lat] points. */
export function geodesicLengthM(line: LonLat[]): number {
  let total = 0;
  for (let i = 1; i < line.length; i++) total += geodesicDistanceM(line[i - 1], line[i]);
  return total;
}
