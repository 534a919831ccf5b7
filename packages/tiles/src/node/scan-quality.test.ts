import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCrs, toWgs84 } from '@tiandi/geo';
import { writeGeoTiff } from '../write/write-geotiff';
import { scanImages } from './scan-images';

const SEG = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/models/redness-seg');
const N = 512; // 512 × 512 px at 0.1 m (the model's GSD), CGCS2000 / GK zone 34
const dir = mkdtempSync(join(tmpdir(), 'tiandi-quality-'));
const file = join(dir, 'blocks.tif');
const [ox, oy] = toWgs84(getCrs(4522)).inverse([102.5, 25.3]).map(Math.round);

/** Textured ground (smooth variation + grain, like crops seen sharp); the top-left quarter blurred, the bottom-right over-exposed. */
function image(): Uint8Array {
  const rgb = new Uint8Array(N * N * 3);
  let seed = 11;
  for (let i = 0; i < N * N; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const g = ((seed >>> 16) % 61) - 30;
    const x = i % N, y = Math.floor(i / N);
    const base = 110 + 25 * Math.sin(x / 9) * Math.cos(y / 13);
    rgb.set([base + 0.8 * g, base + 20 + g, base - 30 + 0.6 * g], 3 * i);
  }
  // Three passes of a 3-px box over the top-left quarter: a Gaussian-like blur (σ ≈ 1.4 px).
  const out = rgb.slice();
  for (let pass = 0; pass < 3; pass++) {
    const src = out.slice();
    for (let y = 0; y < N / 2; y++) for (let x = 0; x < N / 2; x++) for (let c = 0; c < 3; c++) {
      let a = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) a += src[3 * (Math.max(0, y + dy) * N + Math.max(0, x + dx)) + c];
      out[3 * (y * N + x) + c] = a / 9;
    }
  }
  for (let y = N / 2; y < N; y++) for (let x = N / 2; x < N; x++) for (let c = 0; c < 3; c++) out[3 * (y * N + x) + c] = Math.min(255, out[3 * (y * N + x) + c] * 2.6);
  return out;
}

beforeAll(async () => {
  const rgb = image();
  await writeGeoTiff(file, { width: N, height: N, bands: 3, epsg: 4522, geoTransform: [ox, 0.1, 0, oy, 0, -0.1], tileSize: 256, readRows: (y0, rows) => rgb.subarray(y0 * N * 3, (y0 + rows) * N * 3) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pixel (col, row) of a WGS 84 point in the test image. */
function pixelOf([lon, lat]: [number, number]): [number, number] {
  const [x, y] = toWgs84(getCrs(4522)).inverse([lon, lat]);
  return [(x - ox) / 0.1, (oy - y) / 0.1];
}

describe('scan: imagery quality map', () => {
  it('finds the blurred and the over-exposed quarter where they are, and leaves them out of the footprint', async () => {
    const out = join(dir, 'scan');
    const s = await scanImages({ images: [file], modelDir: SEG, outDir: out, workers: 0 });
    expect(s.quality!.blocks_poor).toBeGreaterThan(0);
    const q = JSON.parse(readFileSync(join(out, 'quality.geojson'), 'utf8')) as { features: { geometry: { coordinates: [number, number][][] }; properties: { reasons: string[]; class: string } }[] };
    for (const f of q.features) {
      const ring = f.geometry.coordinates[0].map(pixelOf);
      const [cx, cy] = [ring.slice(0, 4).reduce((a, p) => a + p[0], 0) / 4, ring.slice(0, 4).reduce((a, p) => a + p[1], 0) / 4];
      expect(f.properties.class).toBe('poor_quality');
      if (f.properties.reasons.includes('blurred')) expect(cx < N / 2 + 32 && cy < N / 2 + 32, `blurred block at ${cx},${cy}`).toBe(true);
      if (f.properties.reasons.includes('overexposed')) expect(cx > N / 2 - 32 && cy > N / 2 - 32, `over-exposed block at ${cx},${cy}`).toBe(true);
    }
    expect(s.quality!.by_reason.blurred).toBeGreaterThan(0);
    expect(s.quality!.by_reason.overexposed).toBeGreaterThan(0);
    // Top-right and bottom-left quarters are sharp: the footprint keeps them, about half of the image.
    const whole = (N * 0.1) ** 2 / 1e6;
    const fp = JSON.parse(readFileSync(join(out, 'footprint.geojson'), 'utf8')).features[0].properties;
    expect(fp.area_km2).toBeGreaterThan(0.35 * whole);
    expect(fp.area_km2).toBeLessThan(0.65 * whole);
    expect(fp.poor_quality_km2 + fp.area_km2).toBeCloseTo(whole, 4);
  });

  it('judges nothing with quality: false, and takes the season\'s thresholds', async () => {
    const off = await scanImages({ images: [file], modelDir: SEG, outDir: join(dir, 'off'), workers: 0, quality: false });
    expect(off.quality).toBeUndefined();
    const lenient = await scanImages({ images: [file], modelDir: SEG, outDir: join(dir, 'lenient'), workers: 0, quality: { minSharpness: 0, maxClippedShare: 1, minHazeDarkChannel: 255 } });
    expect(lenient.quality!.blocks_poor).toBe(0);
    expect(lenient.quality!.thresholds.minSharpness).toBe(0);
  });
});
