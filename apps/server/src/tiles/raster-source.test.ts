import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGeoTiff } from '../testing/make-geotiff';
import { openRasterSource } from './raster-source';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-raster-source-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('openRasterSource', () => {
  it('opens an orthophoto once through the tiles reader: one CRS, bounds in WGS 84, the reader ready for tiles', async () => {
    const file = path.join(dir, 'utm.tif');
    fs.writeFileSync(file, makeGeoTiff({ width: 200, height: 160, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.5 }));
    const src = await openRasterSource(file, 'ortho');
    try {
      expect(src.crs.id).toBe('EPSG:32648');
      expect(src.reader.crs).toBe(src.crs);
      expect(src.levels[0]).toMatchObject({ index: 0, width: 200, height: 160, resX: 0.5, resY: 0.5 });
      expect(src.boundsLonLat[0]).toBeCloseTo(105, 1);
      expect(src.gsdM).toBeCloseTo(0.5, 6);
    } finally {
      await src.reader.close();
    }
  });

  it('refuses a GeoTIFF whose CRS it does not know with TIANDI_E_UNKNOWN_CRS instead of taking it as WGS 84', async () => {
    const file = path.join(dir, 'unknown-crs.tif');
    fs.writeFileSync(file, makeGeoTiff({ width: 64, height: 64, epsg: 99999, origin: [500_000, 3_090_000], pixelSize: 0.5 }));
    await expect(openRasterSource(file, 'ortho')).rejects.toMatchObject({ code: 'TIANDI_E_UNKNOWN_CRS' });
    await expect(openRasterSource(file, 'heatmap')).rejects.toMatchObject({ code: 'TIANDI_E_UNKNOWN_CRS' });
  });
});
