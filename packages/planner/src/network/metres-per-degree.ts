/** Metres per degree of longitude and latitude at a latitude (WGS 84 radii of curvature). */
export function metresPerDegree(latDeg: number): { kx: number; ky: number } {
  const a = 6378137;
  const e2 = 0.00669437999014;
  const phi = (latDeg * Math.PI) / 180;
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const N = a / w;
  const M = (a * (1 - e2)) / (w * w * w);
  return { kx: (N * Math.cos(phi) * Math.PI) / 180, ky: (M * Math.PI) / 180 };
}
