import type { LonLat } from '@tiandi/geo';

/** Ground height (m) at a place, NaN where unknown (outside the DEM or a void). */
export type ElevationAt = (lon: number, lat: number) => number;

/** Tobler's hiking function: walking speed (km/h) on a slope `dh/dx` (uphill positive); 5.04 km/h on the flat, fastest at −5 %. */
export function toblerKmh(slope: number): number {
  return 6 * Math.exp(-3.5 * Math.abs(slope + 0.05));
}

const FLAT_TOBLER = toblerKmh(0);
/** Steps to sample a slope along a line: about the DEM's spacing (SRTM 3″ ≈ 90 m), finer on short lines. */
const SLOPE_STEP_M = 30;

/**
 * Time (s) to walk a straight line from `a` to `b` of `distM` metres: `walkKmh` on the flat, scaled by
 * Tobler's function on each ~30 m piece when heights are known (uphill and downhill differ), else flat.
 */
export function walkTimeS(a: LonLat, b: LonLat, distM: number, walkKmh: number, elevation?: ElevationAt): number {
  const v = walkKmh / 3.6;
  if (!elevation || distM <= 0) return distM / v;
  return distM / v / slopeSpeedFactor(a, b, distM, elevation, 0);
}

/**
 * Mean speed factor (time-weighted) of travelling from `a` to `b` relative to the flat: Tobler's
 * ratio toblerKmh(slope) / toblerKmh(0) per piece, never below `floor` (vehicles on tracks); 1 where heights are unknown.
 */
export function slopeSpeedFactor(a: LonLat, b: LonLat, distM: number, elevation: ElevationAt, floor: number): number {
  const k = Math.max(1, Math.ceil(distM / SLOPE_STEP_M));
  const piece = distM / k;
  let time = 0;
  let h0 = elevation(a[0], a[1]);
  for (let i = 1; i <= k; i++) {
    const f = i / k;
    const h1 = elevation(a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]));
    const r = Number.isFinite(h0) && Number.isFinite(h1) && piece > 0 ? Math.max(floor, toblerKmh((h1 - h0) / piece) / FLAT_TOBLER) : 1;
    time += piece / r;
    h0 = h1;
  }
  return time > 0 ? distM / time : 1;
}
