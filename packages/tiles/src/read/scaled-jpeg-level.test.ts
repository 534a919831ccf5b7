import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGeoTiff } from '../write/index';
import { openGeoTiffSource, type GeoTiffSource } from './open-geotiff-source';

const W = 1024;
const H = 768;
let dir: string;

/** Field-like texture: smooth gradients, rows of plants, a few sharp edges (what a first stage looks at). */
const rows = (bands: 3 | 4, w: number) => (y0: number, n: number) => {
  const a = new Uint8Array(w * n * bands);
  for (let yy = 0; yy < n; yy++) {
    const y = y0 + yy;
    for (let x = 0; x < w; x++) {
      const o = (yy * w + x) * bands;
      const plant = Math.sin(x / 3.1) * Math.sin(y / 2.7) > 0.3 ? 60 : 0;
      a[o] = 90 + ((x / 8) & 63) + plant;
      a[o + 1] = 110 + ((y / 6) & 31) + (x > 500 && y < 300 ? 70 : 0);
      a[o + 2] = 60 + plant / 2;
      if (bands === 4) a[o + 3] = 255;
    }
  }
  return a;
};

async function write(name: string, o: { width?: number; bands?: 3 | 4; compression?: 'jpeg' | 'deflate'; overviews?: boolean }): Promise<string> {
  const path = join(dir, `${name}.tif`);
  await writeGeoTiff(path, {
    width: o.width ?? W,
    height: H,
    bands: o.bands ?? 3,
    epsg: 32648,
    geoTransform: [500000, 0.05, 0, 2800000, 0, -0.05],
    readRows: rows(o.bands ?? 3, o.width ?? W),
    tileSize: 256,
    compression: o.compression ?? 'jpeg',
    jpegQuality: 85,
    overviews: o.overviews ?? false,
  });
  return path;
}

const files: Record<string, string> = {};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiandi-scaled-'));
  files.jpeg = await write('jpeg', {});
  files.deflate = await write('deflate', { compression: 'deflate' });
  files.odd = await write('odd', { width: W - 2 + 1 });
  files.overviews = await write('overviews', { overviews: true });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Mean absolute difference of two rasters' RGB. */
function meanDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

async function withSources(f: (ref: GeoTiffSource, src: GeoTiffSource) => Promise<void>): Promise<void> {
  const ref = await openGeoTiffSource(files.jpeg, { cacheBytes: 64 << 20 });
  const src = await openGeoTiffSource(files.jpeg, { cacheBytes: 64 << 20 });
  try {
    await f(ref, src);
  } finally {
    await ref.close();
    await src.close();
  }
}

describe('a JPEG level decoded smaller (scaleJpegLevel)', () => {
  it('is a level 2× coarser with blocks 2× smaller, read by coarse windows, close to the full decode reduced', async () => {
    await withSources(async (ref, src) => {
      expect(src.scaleJpegLevel(2)).toBe(true);
      expect(src.levels.at(-1)).toEqual({ width: W / 2, height: H / 2, scaleX: 2, scaleY: 2, blockWidth: 128, blockHeight: 128 });
      // A first-stage window (3 source pixels a working pixel) over 3 × 2 blocks.
      const a = await ref.readWindow([0, 0, 600, 300], 200, 100);
      const b = await src.readWindow([0, 0, 600, 300], 200, 100);
      expect(src.blocksDecoded()).toBe(6);
      const d = meanDiff(a.rgb, b.rgb);
      // Measured 1.26 grey levels on this texture (plant rows near the working grid's limit): the same image, a
      // slightly different low-pass; 0 would mean the window was not read from the scaled level.
      expect(d).toBeLessThan(2.5);
      expect(d).toBeGreaterThan(0);
      expect(Array.from(b.valid)).toEqual(Array.from(a.valid));
    });
  });

  it('leaves full-resolution windows (the verifier’s) bit-identical, decoded from the file’s blocks', async () => {
    await withSources(async (ref, src) => {
      src.scaleJpegLevel(2);
      for (const [x, y] of [
        [0, 0],
        [200, 230],
        [700, 500],
      ]) {
        const a = await ref.readWindow([x, y, x + 96, y + 96], 96, 96);
        const b = await src.readWindow([x, y, x + 96, y + 96], 96, 96);
        expect(Buffer.compare(Buffer.from(b.rgb), Buffer.from(a.rgb)), `rgb at ${x},${y}`).toBe(0);
      }
      expect(src.blocksDecoded()).toBe(ref.blocksDecoded());
    });
  });

  it('is refused where it would not be the same image: other compressions, odd sizes, other factors, a coarse overview', async () => {
    for (const [name, k] of [
      ['deflate', 2],
      ['odd', 2],
      ['jpeg', 3],
      ['jpeg', 16],
      ['overviews', 2],
    ] as const) {
      const src = await openGeoTiffSource(files[name]);
      try {
        const before = src.levels.length;
        expect(src.scaleJpegLevel(k), `${name} at ${k}`).toBe(false);
        expect(src.levels.length).toBe(before);
      } finally {
        await src.close();
      }
    }
  });
});
