import { getCrs, toWgs84 } from '@tiandi/geo';
import { writeGeoTiff } from '../write/write-geotiff';

/** Side of the quality test image in pixels (0.1 m, the redness fixture models' GSD), CGCS2000 / GK zone 34 (EPSG:4522). */
export const QUALITY_IMAGE_PX = 512;

/**
 * Writes a GeoTIFF of textured ground (smooth variation + grain, like crops seen sharp) whose top-left quarter is
 * blurred (three 3-px box passes: Gaussian-like, σ ≈ 1.4 px) and bottom-right quarter over-exposed (×2.6), at
 * 102.5°E 25.3°N, acquired 2026-04-10. Returns its upper-left corner in EPSG:4522 metres.
 */
export async function writeQualityTestImage(file: string): Promise<{ ox: number; oy: number }> {
  const N = QUALITY_IMAGE_PX;
  const [ox, oy] = toWgs84(getCrs(4522)).inverse([102.5, 25.3]).map(Math.round);
  const rgb = new Uint8Array(N * N * 3);
  let seed = 11;
  for (let i = 0; i < N * N; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const g = ((seed >>> 16) % 61) - 30;
    const x = i % N,
      y = Math.floor(i / N);
    const base = 110 + 25 * Math.sin(x / 9) * Math.cos(y / 13);
    rgb.set([base + 0.8 * g, base + 20 + g, base - 30 + 0.6 * g], 3 * i);
  }
  for (let pass = 0; pass < 3; pass++) {
    const src = rgb.slice();
    for (let y = 0; y < N / 2; y++)
      for (let x = 0; x < N / 2; x++)
        for (let c = 0; c < 3; c++) {
          let a = 0;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) a += src[3 * (Math.max(0, y + dy) * N + Math.max(0, x + dx)) + c];
          rgb[3 * (y * N + x) + c] = a / 9;
        }
  }
  for (let y = N / 2; y < N; y++)
    for (let x = N / 2; x < N; x++) for (let c = 0; c < 3; c++) rgb[3 * (y * N + x) + c] = Math.min(255, rgb[3 * (y * N + x) + c] * 2.6);
  await writeGeoTiff(file, {
    width: N,
    height: N,
    bands: 3,
    epsg: 4522,
    geoTransform: [ox, 0.1, 0, oy, 0, -0.1],
    tileSize: 256,
    acquired: '2026-04-10T03:00:00Z',
    readRows: (y0, rows) => rgb.subarray(y0 * N * 3, (y0 + rows) * N * 3),
  });
  return { ox, oy };
}
