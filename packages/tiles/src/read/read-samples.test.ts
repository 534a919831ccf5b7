import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGeoTiff } from '../write/index';
import { openGeoTiffSource } from './open-geotiff-source';

const dir = mkdtempSync(join(tmpdir(), 'tiandi-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GeoTiffSource.readSamples', () => {
  it("gives a float heatmap's values as written, at full resolution and from an overview", async () => {
    const W = 600,
      H = 520;
    const value = (x: number, y: number) => (x < W / 2 ? 0 : 0.9) + y / 10_000;
    const file = join(dir, 'heat.tif');
    await writeGeoTiff(file, {
      width: W,
      height: H,
      bands: 1,
      sampleType: 'float32',
      epsg: 32648,
      tileSize: 256,
      geoTransform: [500_000, 0.5, 0, 3_090_000, 0, -0.5],
      readRows: (y0, rows) => Float32Array.from({ length: rows * W }, (_, i) => value(i % W, y0 + Math.floor(i / W))),
    });
    const src = await openGeoTiffSource(file);
    try {
      expect(src.layout.sampleFormat).toBe(3);
      const win = await src.readSamples(0, [298, 10, 302, 12]);
      expect(Array.from(win)).toEqual([298, 299, 300, 301, 298, 299, 300, 301].map((x, i) => Math.fround(value(x, i < 4 ? 10 : 11))));
      expect(src.levels.length).toBeGreaterThan(1);
      const ov = await src.readSamples(1, [0, 0, src.levels[1].width, 1]);
      expect(ov.length).toBe(src.levels[1].width);
      expect(ov[0]).toBeLessThan(0.1);
      expect(ov[ov.length - 1]).toBeGreaterThan(0.85);
    } finally {
      await src.close();
    }
  });

  it('opened for its values, a raster is read with readSamples only', async () => {
    const file = join(dir, 'values.tif');
    await writeGeoTiff(file, {
      width: 32,
      height: 32,
      bands: 1,
      sampleType: 'float32',
      epsg: 4326,
      tileSize: 16,
      overviews: false,
      geoTransform: [102, 0.001, 0, 28, 0, -0.001],
      readRows: (_y0, rows) => new Float32Array(rows * 32).fill(1234.5),
    });
    const src = await openGeoTiffSource(file, { values: true });
    try {
      expect((await src.readSamples(0, [0, 0, 2, 1]))[1]).toBe(1234.5);
      await expect(src.readWindow([0, 0, 2, 2])).rejects.toThrow(/readSamples/);
    } finally {
      await src.close();
    }
  });
});
