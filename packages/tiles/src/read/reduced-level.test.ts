import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeoTiff } from '../write/index';
import { openGeoTiffSource, type GeoTiffSource } from './open-geotiff-source';
import { reducedGeometry, removeOrphanLevels } from './reduced-level';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { gdal, gdalAvailable } from '../testing/gdal-available';

const W = 1000;
const H = 700;
let dir: string;
const files: Record<string, string> = {};

/** Textured rows; with alpha, a transparent disc and a transparent left margin. */
const rows = (bands: 3 | 4) => (y0: number, n: number) => {
  const a = new Uint8Array(W * n * bands);
  for (let yy = 0; yy < n; yy++) {
    const y = y0 + yy;
    for (let x = 0; x < W; x++) {
      const o = (yy * W + x) * bands;
      a[o] = (x * 7 + y * 3) & 255;
      a[o + 1] = (x * y) & 255;
      a[o + 2] = (x ^ y) & 255;
      if (bands === 4) a[o + 3] = x < 37 || (x - 600) ** 2 + (y - 300) ** 2 < 90 ** 2 ? 0 : 255;
    }
  }
  return a;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiandi-reduced-'));
  const gt: [number, number, number, number, number, number] = [500000, 0.05, 0, 2800000, 0, -0.05];
  for (const [name, bands, compression] of [
    ['rgb-jpeg', 3, 'jpeg'],
    ['rgba-deflate', 4, 'deflate'],
  ] as const) {
    files[name] = join(dir, `${name}.tif`);
    await writeGeoTiff(files[name], {
      width: W,
      height: H,
      bands,
      epsg: 32648,
      geoTransform: gt,
      readRows: rows(bands),
      tileSize: 256,
      compression,
      overviews: false,
    });
  }
  if (gdalAvailable()) {
    files.striped = join(dir, 'striped.tif');
    gdal('gdal_translate', ['-q', '-co', 'TILED=NO', '-co', 'BLOCKYSIZE=7', '-co', 'COMPRESS=LZW', files['rgba-deflate'], files.striped]);
  }
}, 60_000);

/** Reads the whole image as a first stage would: windows of 3 × 3 source pixels per output pixel. */
async function firstStage(src: GeoTiffSource, y0 = 0, y1 = H): Promise<void> {
  for (let y = y0; y < y1; y += 300)
    for (let x = 0; x < W; x += 600) await src.readWindow([x, y, x + 600, Math.min(y + 300, y1)], 200, Math.ceil((Math.min(y + 300, y1) - y) / 3));
}

/** Prefilter-like windows: 2 source pixels per output pixel, on even corners, some across block edges. */
const WINDOWS: [number, number][] = [
  [0, 0],
  [200, 150],
  [240, 500],
  [500, 250],
  [936, 636],
  [36, 380],
];

async function sameWindows(ref: GeoTiffSource, got: GeoTiffSource): Promise<void> {
  for (const [x, y] of WINDOWS) {
    const a = await ref.readWindow([x, y, x + 64, y + 64], 32, 32);
    const b = await got.readWindow([x, y, x + 64, y + 64], 32, 32);
    expect(Buffer.compare(Buffer.from(b.rgb), Buffer.from(a.rgb)), `rgb at ${x},${y}`).toBe(0);
    expect(Array.from(b.valid), `valid at ${x},${y}`).toEqual(Array.from(a.valid));
  }
}

describe('reduced level', () => {
  it('splits blocks into whole reduced pixels, or refuses', () => {
    expect(reducedGeometry({ width: 1000, height: 700, blockWidth: 256, blockHeight: 256, tiled: true }, 2)).toMatchObject({
      width: 500,
      height: 350,
      tileWidth: 128,
      tileHeight: 128,
      blocksAcross: 4,
      blocksDown: 3,
    });
    expect(reducedGeometry({ width: 1001, height: 33, blockWidth: 1001, blockHeight: 32, tiled: false }, 2)).toMatchObject({
      width: 500,
      height: 16,
      tileWidth: 500,
      tileHeight: 16,
    });
    expect(reducedGeometry({ width: 1000, height: 700, blockWidth: 256, blockHeight: 256, tiled: true }, 3)).toBeUndefined();
    expect(reducedGeometry({ width: 1000, height: 700, blockWidth: 256, blockHeight: 256, tiled: true }, 1)).toBeUndefined();
  });

  for (const name of ['rgb-jpeg', 'rgba-deflate', 'striped']) {
    it(`${name}: windows at 2× come from the level the first pass built, byte for byte, decoding no block again`, async (ctx) => {
      if (!files[name]) {
        ctx.skip();
        return;
      }
      const ref = await openGeoTiffSource(files[name], { cacheBytes: 0 });
      const src = await openGeoTiffSource(files[name], { cacheBytes: 0 });
      const file = join(dir, `${name}-2x.bin`);
      expect(await src.reduceLevel(2, file, true)).toBe(true);
      await firstStage(src);
      const decoded = src.blocksDecoded();
      expect(decoded).toBeGreaterThan(0);
      src.useReducedLevel();
      await sameWindows(ref, src);
      expect(src.blocksDecoded()).toBe(decoded);
      // Full-resolution windows (the verifier's) still decode.
      await src.readWindow([0, 0, 32, 32], 32, 32);
      expect(src.blocksDecoded()).toBeGreaterThan(decoded);
      await src.dropReducedLevel();
      expect(existsSync(file)).toBe(false);
      await Promise.all([ref.close(), src.close()]);
    });
  }

  it('blocks decoded by another reader (a worker thread) feed the same file; blocks nobody decoded are made on demand', async () => {
    const path = files['rgb-jpeg'];
    const ref = await openGeoTiffSource(path, { cacheBytes: 0 });
    const main = await openGeoTiffSource(path, { cacheBytes: 0 });
    const worker = await openGeoTiffSource(path, { cacheBytes: 0 });
    const file = join(dir, 'shared-2x.bin');
    expect(await main.reduceLevel(2, file, true)).toBe(true);
    expect(await worker.reduceLevel(2, file, false)).toBe(true);
    await firstStage(main, 0, 300);
    await firstStage(worker, 300, 500); // the last block row (rows 512–699) is decoded by nobody
    main.useReducedLevel();
    const before = main.blocksDecoded();
    await sameWindows(ref, main);
    // Only the bottom blocks the windows touch (rows ≥ 512: windows at y 500, 636) were decoded now.
    expect(main.blocksDecoded() - before).toBeGreaterThan(0);
    expect(main.blocksDecoded() - before).toBeLessThanOrEqual(4);
    await Promise.all([ref.close(), worker.close(), main.close()]);
    expect(existsSync(file)).toBe(false);
  });

  it('is not built when the file has an overview that coarse, or for a factor that does not divide its blocks', async () => {
    const withOverviews = join(dir, 'ovr.tif');
    await writeGeoTiff(withOverviews, {
      width: W,
      height: H,
      bands: 3,
      epsg: 32648,
      geoTransform: [500000, 0.05, 0, 2800000, 0, -0.05],
      readRows: rows(3),
      tileSize: 256,
    });
    const a = await openGeoTiffSource(withOverviews);
    expect(await a.reduceLevel(2, join(dir, 'never.bin'), true)).toBe(false);
    const b = await openGeoTiffSource(files['rgb-jpeg']);
    expect(await b.reduceLevel(3, join(dir, 'never3.bin'), true)).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('removes the files of scans that were killed, not those of live ones', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const orphan = join(dir, `tiandi-level-${dead}-0-2x.bin`);
    const live = join(dir, `tiandi-level-${process.pid}-0-2x.bin`);
    const other = join(dir, 'tiandi-level-notes.txt');
    for (const f of [orphan, live, other]) writeFileSync(f, 'x');
    await removeOrphanLevels(dir);
    expect([existsSync(orphan), existsSync(live), existsSync(other)]).toEqual([false, true, true]);
  });
});
