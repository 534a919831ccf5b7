/** WGS 84 ellipsoid constants (CGCS2000 differs by < 0.1 mm in b; treated as equal). */
export const WGS84 = {
  aM: 6378137,
  f: 1 / 298.257223563,
} as const;
export const WGS84_B_M = WGS84.aM * (1 - WGS84.f);
export const WGS84_E2 = WGS84.f * (2 - WGS84.f);
