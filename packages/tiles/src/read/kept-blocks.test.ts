import { describe, expect, it, beforeAll } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeoTiff } from '../write/index';
import { openGeoTiffSource, type GeoTiffSource } from './open-geotiff-source';
import { KeptBlockFile } from './kept-blocks';
import { gdal, gdalAvailable } from '../testing/gdal-available';

const W = 1000;
const H = 700;
let dir: string;
const files: Record<string, string> = {};

/** Textured rows; with alpha, a transparent disc. */
const rows = (bands: 3 | 4) => (y0: number, n: number) => {
  const a = new Uint8Array(W * n * bands);
  for (let yy = 0; yy < n; yy++) {
    const y = y0 + yy;
    for (let x = 0; x < W; x++) {
      const o = (yy * W + x) * bands;
      a[o] = (x * 7 + y * 3) & 255;
      a[o + 1] = (x * y) & 255;
      a[o + 2] = (x ^ y) & 255;
      if (bands === 4) a[o + 3] = (x - 600) ** 2 + (y - 300) ** 2 < 90 ** 2 ? 0 : 255;
    }
  }
  return a;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiandi-kept-'));
  const gt: [number, number, number, number, number, number] = [500000, 0.05, 0, 2800000, 0, -0.05];
  for (const [name, bands, compression] of [
    ['rgb-jpeg', 3, 'jpeg'],
    ['rgba-deflate', 4, 'deflate'],
    // 8-bit RGB deflate: blocks are decoded into recycled buffers and kept as they are.
    ['rgb-deflate', 3, 'deflate'],
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

/** Full-resolution windows (the verifier's), some across block edges and at the image's bottom-right edge. */
const WINDOWS: [number, number][] = [
  [0, 0],
  [230, 240],
  [570, 280],
  [936, 636],
  [700, 650],
];

async function readAll(src: GeoTiffSource): Promise<{ rgb: Buffer; valid: number[] }[]> {
  const out = [];
  for (const [x, y] of WINDOWS) {
    const r = await src.readWindow([x, y, x + 64, y + 64], 64, 64);
    out.push({ rgb: Buffer.from(r.rgb), valid: Array.from(r.valid) });
  }
  return out;
}

/** Bytes of one record of the kept file of a 256² tiled test file (a band of strips is smaller). */
const RECORD = 256 * 256 * 4;

describe('kept blocks', () => {
  // Written at once (no write buffers), or on the thread pool through one buffer: blocks then wait for it, cached.
  for (const [name, inFlight] of [
    ['rgb-jpeg', 0],
    ['rgba-deflate', 0],
    ['striped', 0],
    ['rgb-jpeg', RECORD],
    ['rgba-deflate', RECORD],
    ['striped', RECORD],
  ] as const) {
    it(`${name}, ${inFlight ? 'written on the thread pool' : 'written at once'}: blocks kept while cached, or when next decoded, read back byte for byte without decoding`, async (ctx) => {
      if (!files[name]) {
        ctx.skip();
        return;
      }
      const ref = await openGeoTiffSource(files[name], { cacheBytes: 0 });
      const src = await openGeoTiffSource(files[name], { cacheBytes: 64 << 20 });
      const file = join(dir, `${name}-${inFlight}-kept.bin`);
      await src.keepBlocks(file, true, Infinity, inFlight);
      // Half the windows' blocks are decoded (cached) before they are asked for, half after.
      for (const [x, y] of WINDOWS.slice(0, 2)) await src.readWindow([x, y, x + 64, y + 64], 64, 64);
      for (const [x, y] of WINDOWS) src.keepBlocksUnder([x, y, x + 64, y + 64]);
      for (const [x, y] of WINDOWS.slice(2)) await src.readWindow([x, y, x + 64, y + 64], 64, 64);
      const decoded = src.blocksDecoded();
      src.setCacheBytes(0);
      expect(await readAll(src)).toEqual(await readAll(ref));
      expect(src.blocksDecoded()).toBe(decoded);
      // A block nobody asked for is decoded as before.
      await src.readWindow([520, 120, 584, 184], 64, 64);
      expect(src.blocksDecoded()).toBeGreaterThan(decoded);
      await src.dropKeptBlocks();
      expect(existsSync(file)).toBe(false);
      await Promise.all([ref.close(), src.close()]);
    });
  }

  it('striped: bands of strips decode to the pixels of the tiled file they were converted from (alpha included)', async (ctx) => {
    if (!files.striped) return ctx.skip();
    const [tiled, striped] = await Promise.all([
      openGeoTiffSource(files['rgba-deflate'], { cacheBytes: 0 }),
      openGeoTiffSource(files.striped, { cacheBytes: 0 }),
    ]);
    expect(await readAll(striped)).toEqual(await readAll(tiled));
    await Promise.all([tiled.close(), striped.close()]);
  });

  it('keeps no more than its limit: blocks past it are decoded again (the temp folder is never filled)', async () => {
    const src = await openGeoTiffSource(files['rgb-jpeg'], { cacheBytes: 64 << 20 });
    const file = join(dir, 'limited-kept.bin');
    // Room for one 256 × 256 RGB block, not two.
    await src.keepBlocks(file, true, 256 * 256 * 3 * 1.5);
    src.keepBlocksUnder([0, 0, 512, 256]);
    await src.readWindow([0, 0, 512, 256], 512, 256);
    const again = await openGeoTiffSource(files['rgb-jpeg'], { cacheBytes: 0 });
    await again.keepBlocks(file, false);
    await again.readWindow([0, 0, 512, 256], 512, 256);
    expect(again.blocksDecoded()).toBe(1);
    await Promise.all([again.close(), src.close()]);
    expect(existsSync(file)).toBe(false);
  });

  for (const inFlight of [0, 2 * RECORD]) {
    it(`blocks kept by another reader (a worker thread) are read from the same file once it is done with them (${inFlight ? 'written on the thread pool' : 'written at once'})`, async () => {
      const path = files['rgb-jpeg'];
      const ref = await openGeoTiffSource(path, { cacheBytes: 0 });
      const main = await openGeoTiffSource(path, { cacheBytes: 0 });
      const worker = await openGeoTiffSource(path, { cacheBytes: 64 << 20 });
      const file = join(dir, `shared-${inFlight}-kept.bin`);
      await main.keepBlocks(file, true);
      await worker.keepBlocks(file, false, Infinity, inFlight);
      for (const [x, y] of WINDOWS) worker.keepBlocksUnder([x, y, x + 64, y + 64]);
      await readAll(worker);
      // As a worker closes the image when its rows are done: blocks it deferred or was writing are then in the file.
      await worker.dropKeptBlocks();
      expect(await readAll(main)).toEqual(await readAll(ref));
      expect(main.blocksDecoded()).toBe(0);
      await Promise.all([ref.close(), worker.close(), main.close()]);
      expect(existsSync(file)).toBe(false);
    });
  }

  it('holds blocks in memory up to its memory bytes (read back as they are), writes the rest to the file, the same pixels either way', async () => {
    const g = { blocksAcross: 3, blocksDown: 1, blockWidth: 4, blockHeight: 2 };
    const path = join(dir, 'held-kept.bin');
    // Room in memory for one 4 × 2 block with validity (32 bytes), not two.
    const file = await KeptBlockFile.open(path, g, true, Infinity, 0, 40);
    const block = (k: number) => {
      const rgb = Uint8Array.from({ length: 24 }, (_, i) => (i * 7 + k) & 255);
      const valid = Uint8Array.from({ length: 8 }, (_, i) => (i + k) % 2);
      return { width: 4, rows: 2, rgb, valid, byteLength: 32 };
    };
    const into = (n: number) => new Uint8Array(n);
    const a = block(1);
    expect(file.keep(0, 0, a)).toBe('held');
    // Memory is full now: a further block is written at once (no write buffers allowed, so never `full`).
    expect(file.full()).toBe(false);
    expect(file.keep(1, 0, block(2))).toBe('written');
    expect(await file.read(0, 0, 4, 2, into)).toBe(a);
    const spilled = await file.read(1, 0, 4, 2, into);
    expect({ ...spilled!, rgb: Array.from(spilled!.rgb), valid: Array.from(spilled!.valid!) }).toEqual({
      ...block(2),
      rgb: Array.from(block(2).rgb),
      valid: Array.from(block(2).valid),
      byteLength: 32,
    });
    expect(await file.read(2, 0, 4, 2, into)).toBeNull();
    // Another handle (a worker thread's) sees only what is in the file.
    const other = await KeptBlockFile.open(path, g, false);
    expect(await other.read(0, 0, 4, 2, into)).toBeNull();
    expect(await other.read(1, 0, 4, 2, into)).not.toBeNull();
    await other.close();
    await file.close();
    expect(existsSync(path)).toBe(false);
  });

  for (const name of ['rgb-jpeg', 'rgb-deflate', 'rgba-deflate'] as const) {
    it(`${name}: blocks held in memory keep their pixels while the block cache drops and reuses its buffers, and are never decoded again`, async () => {
      const ref = await openGeoTiffSource(files[name], { cacheBytes: 0 });
      // A cache of two blocks: every window after the first evicts blocks, whose buffers are decoded into again.
      const src = await openGeoTiffSource(files[name], { cacheBytes: 2 * RECORD });
      const file = join(dir, `${name}-held-kept.bin`);
      // Memory for three of the windows' blocks; the others go to the file.
      await src.keepBlocks(file, true, Infinity, 0, 3 * RECORD);
      for (const [x, y] of WINDOWS) {
        src.keepBlocksUnder([x, y, x + 64, y + 64]);
        await src.readWindow([x, y, x + 64, y + 64], 64, 64);
      }
      // Blocks nobody asked for, decoded into recycled buffers.
      for (let x = 0; x < W - 64; x += 100) await src.readWindow([x, 400, x + 64, 464], 64, 64);
      const decoded = src.blocksDecoded();
      expect(await readAll(src)).toEqual(await readAll(ref));
      expect(src.blocksDecoded()).toBe(decoded);
      await src.dropKeptBlocks();
      expect(existsSync(file)).toBe(false);
      await Promise.all([ref.close(), src.close()]);
    });
  }

  it('a block being written is read from its copy, whatever then happens to the decoded arrays, and from the file once written', async () => {
    const g = { blocksAcross: 2, blocksDown: 1, blockWidth: 4, blockHeight: 2 };
    const file = await KeptBlockFile.open(join(dir, 'pending-kept.bin'), g, true, Infinity, 4 * 2 * 4);
    const rgb = Uint8Array.from({ length: 24 }, (_, i) => i + 1);
    const valid = Uint8Array.from({ length: 8 }, (_, i) => i % 2);
    const into = (n: number) => new Uint8Array(n);
    expect(file.keep(1, 0, { width: 4, rows: 2, rgb, valid, byteLength: 32 })).toBe('written');
    // The one buffer is in flight: the next block would be written here and now.
    expect(file.full()).toBe(true);
    rgb.fill(0);
    valid.fill(1);
    const pending = await file.read(1, 0, 4, 2, into);
    expect(Array.from(pending!.rgb)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(Array.from(pending!.valid!)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    await file.flush();
    expect(file.full()).toBe(false);
    const written = await file.read(1, 0, 4, 2, into);
    expect(written).toEqual(pending);
    expect(await file.read(0, 0, 4, 2, into)).toBeNull();
    await file.close();
  });
});
