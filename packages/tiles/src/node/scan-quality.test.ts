import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCrs, toWgs84 } from '@tiandi/geo';
import { QUALITY_IMAGE_PX, writeQualityTestImage } from '../testing/quality-test-image';
import { scanImages } from './scan-images';

const SEG = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/models/redness-seg');
const N = QUALITY_IMAGE_PX;
const dir = mkdtempSync(join(tmpdir(), 'tiandi-quality-'));
const file = join(dir, 'blocks.tif');
let ox = 0,
  oy = 0;

beforeAll(async () => {
  ({ ox, oy } = await writeQualityTestImage(file));
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
    const q = JSON.parse(readFileSync(join(out, 'quality.geojson'), 'utf8')) as {
      features: { geometry: { coordinates: [number, number][][] }; properties: { reasons: string[]; class: string } }[];
    };
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

  it("judges nothing with quality: false, and takes the season's thresholds", async () => {
    const off = await scanImages({ images: [file], modelDir: SEG, outDir: join(dir, 'off'), workers: 0, quality: false });
    expect(off.quality).toBeUndefined();
    const lenient = await scanImages({
      images: [file],
      modelDir: SEG,
      outDir: join(dir, 'lenient'),
      workers: 0,
      quality: { minSharpness: 0, maxClippedShare: 1, minHazeDarkChannel: 255 },
    });
    expect(lenient.quality!.blocks_poor).toBe(0);
    expect(lenient.quality!.thresholds.minSharpness).toBe(0);
  });
});
