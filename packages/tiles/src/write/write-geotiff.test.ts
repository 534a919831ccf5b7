import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, openSync, readSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFile } from 'geotiff';
import { writeGeoTiff, overviewSizes } from './index';
import { TilesError } from '../errors';
import { gdal, gdalAvailable } from '../testing/gdal-available';

const W = 1100;
const H = 700;
let dir: string;

function pattern(bands: number) {
  return (y0: number, n: number) => {
    const a = new Uint8Array(W * n * bands);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < W; x++)
        for (let b = 0; b < bands; b++) {
          a[(y * W + x) * bands + b] = b === 3 ? (x < 100 ? 0 : 255) : ((x >> 2) + ((y0 + y) >> 2) * (b + 1)) & 255;
        }
    return a;
  };
}

function fullImage(bands: number): Uint8Array {
  return pattern(bands)(0, H);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tiandi-write-'));
});

describe('writeGeoTiff', () => {
  it('writes a tiled deflate RGB COG that geotiff.js reads back losslessly, with overviews', async () => {
    const p = join(dir, 'rgb.tif');
    await writeGeoTiff(p, {
      width: W,
      height: H,
      bands: 3,
      epsg: 32648,
      tileSize: 256,
      geoTransform: [500000, 0.05, 0, 2800000, 0, -0.05],
      readRows: pattern(3),
      acquired: '2026-04-02T03:04:05Z',
    });
    const tiff = await fromFile(p);
    expect(await tiff.getImageCount()).toBe(1 + overviewSizes(W, H, 256).length);
    const img = await tiff.getImage(0);
    expect(img.getWidth()).toBe(W);
    expect(img.getTileWidth()).toBe(256);
    const r = (await img.readRasters({ interleave: true })) as Uint8Array;
    expect(Buffer.compare(Buffer.from(r), Buffer.from(fullImage(3)))).toBe(0);
    expect(img.getOrigin()).toEqual([500000, 2800000, 0]);
    expect(img.getResolution()).toEqual([0.05, -0.05, 0]);
    expect(img.getGeoKeys()?.ProjectedCSTypeGeoKey).toBe(32648);
    const ov = await tiff.getImage(1);
    expect([ov.getWidth(), ov.getHeight()]).toEqual([550, 350]);
    expect(existsSync(`${p}.part`)).toBe(false);
    expect(existsSync(`${p}.L0.tmp`)).toBe(false);
  });

  it('writes BigTIFF on request', async () => {
    const p = join(dir, 'big.tif');
    await writeGeoTiff(p, { width: W, height: H, bands: 3, epsg: 4490, bigTiff: true, geoTransform: [102, 1e-6, 0, 25, 0, -1e-6], readRows: pattern(3) });
    const head = Buffer.alloc(4);
    const fd = openSync(p, 'r');
    readSync(fd, head, 0, 4, 0);
    closeSync(fd);
    expect(head.readUInt16LE(2)).toBe(43);
    const img = await (await fromFile(p)).getImage(0);
    expect(img.getGeoKeys()?.GeographicTypeGeoKey).toBe(4490);
    const r = (await img.readRasters({ interleave: true, window: [500, 300, 600, 400] })) as Uint8Array;
    const full = fullImage(3);
    expect(r[0]).toBe(full[(300 * W + 500) * 3]);
  });

  it('rejects invalid options with a typed error', async () => {
    const base = { width: 10, height: 10, bands: 3 as const, epsg: 4326, geoTransform: [0, 1, 0, 0, 0, -1] as const, readRows: pattern(3) };
    await expect(writeGeoTiff(join(dir, 'x.tif'), { ...base, tileSize: 100 })).rejects.toThrow(TilesError);
    await expect(writeGeoTiff(join(dir, 'x.tif'), { ...base, bands: 4, compression: 'jpeg' })).rejects.toThrow(/JPEG/);
    await expect(writeGeoTiff(join(dir, 'x.tif'), { ...base, readRows: () => new Uint8Array(3) })).rejects.toThrow(/readRows/);
    await expect(writeGeoTiff(join(dir, 'x.tif'), { ...base, extra: 1 } as never)).rejects.toThrow(/extra/);
    expect(existsSync(join(dir, 'x.tif'))).toBe(false);
  });

  describe.skipIf(!gdalAvailable())('read back by GDAL', () => {
    it('RGBA deflate: identical pixels, alpha as mask, GeoKeys, DateTime', async () => {
      const p = join(dir, 'rgba.tif');
      await writeGeoTiff(p, {
        width: W,
        height: H,
        bands: 4,
        epsg: 4522,
        tileSize: 256,
        acquired: new Date('2026-04-02T03:04:05Z'),
        geoTransform: [34550000, 0.05, 0, 2800000, 0, -0.05],
        readRows: pattern(4),
      });
      const info = JSON.parse(gdal('gdalinfo', ['-json', p]));
      expect(info.geoTransform).toEqual([34550000, 0.05, 0, 2800000, 0, -0.05]);
      expect(info.coordinateSystem.wkt).toContain('ID["EPSG",4522]');
      expect(info.metadata[''].TIFFTAG_DATETIME).toBe('2026:04:02 03:04:05');
      expect(info.bands[3].colorInterpretation).toBe('Alpha');
      expect(info.bands[0].overviews.length).toBe(3);
      const raw = join(dir, 'rgba.raw');
      gdal('gdal_translate', ['-q', '-of', 'ENVI', '-co', 'INTERLEAVE=BIP', p, raw]);
      expect(Buffer.compare(readFileSync(raw), Buffer.from(fullImage(4)))).toBe(0);
    });

    it('JPEG YCbCr: GDAL decodes to the source within JPEG error', async () => {
      const p = join(dir, 'jpeg.tif');
      await writeGeoTiff(p, {
        width: W,
        height: H,
        bands: 3,
        epsg: 3857,
        compression: 'jpeg',
        jpegQuality: 95,
        geoTransform: [11400000, 0.1, 0, 2900000, 0, -0.1],
        readRows: pattern(3),
      });
      const raw = join(dir, 'jpeg.raw');
      gdal('gdal_translate', ['-q', '-of', 'ENVI', '-co', 'INTERLEAVE=BIP', p, raw]);
      const got = readFileSync(raw);
      const want = fullImage(3);
      let sum = 0;
      for (let i = 0; i < want.length; i++) sum += Math.abs(got[i] - want[i]);
      expect(sum / want.length).toBeLessThan(3);
    });

    it('float32 with rotation and nodata: ModelTransformation and GDAL_NODATA', async () => {
      const p = join(dir, 'f32.tif');
      const w = 300;
      await writeGeoTiff(p, {
        width: w,
        height: 200,
        bands: 1,
        sampleType: 'float32',
        epsg: 32650,
        noData: -1,
        tileSize: 128,
        geoTransform: [400000, 0.5, 0.1, 3000000, 0.1, -0.5],
        readRows: (y0, n) => Float32Array.from({ length: w * n }, (_, i) => (y0 * w + i) / 1000),
      });
      const info = JSON.parse(gdal('gdalinfo', ['-json', '-stats', p]));
      expect(info.geoTransform).toEqual([400000, 0.5, 0.1, 3000000, 0.1, -0.5]);
      expect(info.bands[0].noDataValue).toBe(-1);
      expect(info.bands[0].type).toBe('Float32');
      expect(info.bands[0].maximum).toBeCloseTo((300 * 200 - 1) / 1000, 3);
    });
  });
});
