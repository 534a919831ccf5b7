import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeoTiff } from '../write/index';
import { openGeoTiffSource } from '../read/open-geotiff-source';
import { gdal, gdalAvailable } from '../testing/gdal-available';
import { LzwThread } from './lzw-thread';
import { claimFront, stripClaims, type BandOut, type StripJob } from '../read/strip-away';
import { toRgbBlock } from '../read/rgb-block';
import type { IfdInfo } from '../read/ifd-info';

const W = 900;
const H = 500;
let dir: string;
const files: Record<string, string> = {};
/** Striped copies: name, GDAL compression, predictor. */
const CASES = [
  ['lzw-1', 'LZW', '1'],
  ['lzw-2', 'LZW', '2'],
  ['deflate-2', 'DEFLATE', '2'],
  // ZSTD: the thread loads its WebAssembly decoder before the first job.
  ['zstd-2', 'ZSTD', '2'],
  ['zstd-1', 'ZSTD', '1'],
  ['none', 'NONE', '1'],
  // Strips of 40 rows: each its own block, all decoded here (the plan starts no strip thread for them).
  ['lzw-2-rows40', 'LZW', '2'],
  // Separate planes (INTERLEAVE=BAND): the thread decompresses a band's plane strips into shared planes.
  ['planar-deflate-2', 'DEFLATE', '2'],
  ['planar-lzw-1', 'LZW', '1'],
] as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiandi-lzw-thread-'));
  const tiled = join(dir, 'tiled.tif');
  await writeGeoTiff(tiled, {
    width: W,
    height: H,
    bands: 4,
    epsg: 32648,
    geoTransform: [500000, 0.05, 0, 2800000, 0, -0.05],
    readRows: (y0, n) => {
      const a = new Uint8Array(W * n * 4);
      for (let i = 0; i < W * n; i++) {
        const x = i % W;
        const y = y0 + Math.floor(i / W);
        a.set([(x * 7 + y * 3) & 255, (x * y) & 255, (x ^ y) & 255, (x - 500) ** 2 + (y - 200) ** 2 < 80 ** 2 ? 0 : 255], i * 4);
      }
      return a;
    },
    tileSize: 256,
    compression: 'deflate',
    overviews: false,
  });
  if (!gdalAvailable()) return;
  // Strips of 5 rows (7 to a band of 32+ rows, the last band shorter), with and without the horizontal predictor.
  for (const [name, compress, predictor] of CASES) {
    files[name] = join(dir, `striped-${name}.tif`);
    gdal('gdal_translate', [
      '-q',
      '-co',
      'TILED=NO',
      '-co',
      `BLOCKYSIZE=${name.endsWith('rows40') ? 40 : 5}`,
      '-co',
      `COMPRESS=${compress}`,
      '-co',
      `PREDICTOR=${predictor}`,
      '-co',
      `INTERLEAVE=${name.startsWith('planar') ? 'BAND' : 'PIXEL'}`,
      tiled,
      files[name],
    ]);
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LzwThread', () => {
  for (const [name] of CASES) {
    it(`shares each band of strips and gives the same pixels and validity as this thread alone (${name})`, async (ctx) => {
      if (!files[name]) return ctx.skip();
      const [alone, helped] = await Promise.all([
        openGeoTiffSource(files[name], { cacheBytes: 64 << 20 }),
        openGeoTiffSource(files[name], { cacheBytes: 64 << 20 }),
      ]);
      const thread = await LzwThread.start();
      const lzw = {
        calls: 0,
        converted: 0,
        acquire: () => thread.acquire(),
        release: () => thread.release(),
        placed: 0,
        // Pixel-interleaved strips come back as arrays of their own (their shared `out` not passed on); plane strips are placed in `out`.
        decode: async (s: Uint8Array[], job: StripJob, claims?: Int32Array, out?: BandOut) => {
          lzw.calls++;
          const done = await thread.decode(s, job, claims, job.place ? out : undefined);
          lzw.converted += done.done.filter((d) => 'rgb' in d).length;
          lzw.placed += done.done.filter((d) => 'written' in d).length;
          return done;
        },
      };
      helped.decodeStripsWith(lzw);
      try {
        for (const box of [
          [0, 0, 900, 500],
          [130, 37, 420, 301],
          [600, 470, 900, 500],
        ] as const) {
          const [a, b] = await Promise.all([alone.readWindow(box, box[2] - box[0], box[3] - box[1]), helped.readWindow(box, box[2] - box[0], box[3] - box[1])]);
          expect(Buffer.compare(Buffer.from(b.rgb), Buffer.from(a.rgb))).toBe(0);
          expect(Buffer.compare(Buffer.from(b.valid), Buffer.from(a.valid))).toBe(0);
        }
        // Bands were handed to the thread (which strips it decoded depends on timing), the same strips counted as decoded.
        if (name.endsWith('rows40')) expect(lzw.calls).toBe(0);
        else expect(lzw.calls).toBeGreaterThan(0);
        if (name.startsWith('planar')) expect(lzw.placed).toBeGreaterThan(0);
        expect(helped.blocksDecoded()).toBe(alone.blocksDecoded());
      } finally {
        await thread.terminate();
        await Promise.all([alone.close(), helped.close()]);
      }
    });
  }

  it('hands the next bands to the thread before they are asked for (aheadBands), their strips read there: the same pixels', async (ctx) => {
    if (!files['lzw-2']) return ctx.skip();
    const [alone, helped] = await Promise.all([
      openGeoTiffSource(files['lzw-2'], { cacheBytes: 64 << 20 }),
      openGeoTiffSource(files['lzw-2'], { cacheBytes: 64 << 20 }),
    ]);
    const thread = await LzwThread.start(4);
    const ahead: number[] = [];
    const answers: Promise<unknown>[] = [];
    // Strips each band handed ahead had claimed there, in the order the bands were handed.
    const claimedThere: number[] = [];
    helped.decodeStripsWith({
      aheadBands: thread.aheadBands,
      acquire: () => thread.acquire(),
      release: () => thread.release(),
      decode: (s, job, claims, out) => thread.decode(s, job, claims, out),
      decodeFile: async (file, job, claims, out) => {
        const k = ahead.push(file.ends.length) - 1;
        const answer = thread.decodeFile(file, job, claims, out);
        answers.push(answer);
        const r = await answer;
        claimedThere[k] = r.done.length;
        return r;
      },
    });
    try {
      // Strips of 5 rows, 6 to a band (30 rows): rows 0-59 are bands 0 and 1; once both are decoded, bands 2-5 go to the thread.
      const first = [0, 0, W, 60] as const;
      const [a0, b0] = await Promise.all([alone.readWindow(first, W, 60), helped.readWindow(first, W, 60)]);
      expect(Buffer.compare(Buffer.from(b0.rgb), Buffer.from(a0.rgb))).toBe(0);
      expect(ahead).toEqual([6, 6, 6, 6]);
      // Asked for once the thread has decoded them from the file: the same pixels, each strip decoded once.
      await Promise.all(answers);
      const next = [0, 60, W, 180] as const;
      const [a1, b1] = await Promise.all([alone.readWindow(next, W, 120), helped.readWindow(next, W, 120)]);
      expect(Buffer.compare(Buffer.from(b1.rgb), Buffer.from(a1.rgb))).toBe(0);
      expect(Buffer.compare(Buffer.from(b1.valid), Buffer.from(a1.valid))).toBe(0);
      // Bands 2-5, all 24 strips (bands 6-9, handed ahead meanwhile, may or may not be done yet).
      expect(claimedThere.slice(0, 4)).toEqual([6, 6, 6, 6]);
      expect(helped.blocksDecoded()).toBe(alone.blocksDecoded());
      // Bands 6-9 went the same way once 2-5 were taken.
      expect(ahead).toHaveLength(8);
    } finally {
      await thread.terminate();
      await Promise.all([alone.close(), helped.close()]);
    }
  });

  it('holds room for three bands at once, passing it to the next band waiting', async () => {
    const thread = await LzwThread.start();
    expect(await Promise.all([thread.acquire(), thread.acquire(), thread.acquire()])).toEqual([true, true, true]);
    let fourth: boolean | undefined;
    const waiting = thread.acquire().then((ok) => (fourth = ok));
    await new Promise((r) => setTimeout(r, 20));
    expect(fourth).toBeUndefined();
    thread.release();
    await waiting;
    expect(fourth).toBe(true);
    // A band waiting when the thread stops decodes here.
    const late = thread.acquire();
    await thread.terminate();
    expect(await late).toBe(false);
    expect(await thread.acquire()).toBe(false);
  });

  it.for(['lzw-2', 'planar-deflate-2'])(
    'decodes here the strips a thread that failed had claimed: the same pixels as this thread alone (%s)',
    async (name, ctx) => {
      if (!files[name]) return ctx.skip();
      const [alone, helped] = await Promise.all([
        openGeoTiffSource(files[name], { cacheBytes: 64 << 20 }),
        openGeoTiffSource(files[name], { cacheBytes: 64 << 20 }),
      ]);
      let calls = 0;
      // A thread that takes every band and dies before answering.
      helped.decodeStripsWith({
        acquire: async () => true,
        release: () => undefined,
        decode: () => (calls++, Promise.reject(new Error('LZW thread exited (1)'))),
      });
      try {
        const box = [0, 0, W, H] as const;
        const [a, b] = await Promise.all([alone.readWindow(box, W, H), helped.readWindow(box, W, H)]);
        expect(calls).toBeGreaterThan(0);
        expect(Buffer.compare(Buffer.from(b.rgb), Buffer.from(a.rgb))).toBe(0);
        expect(Buffer.compare(Buffer.from(b.valid), Buffer.from(a.valid))).toBe(0);
      } finally {
        await Promise.all([alone.close(), helped.close()]);
      }
    },
  );

  it('decodes the strips it claims from the back, converted, and leaves those claimed from the front', async () => {
    const thread = await LzwThread.start();
    try {
      // Seven uncompressed strips of 5 rows of 8 RGBA pixels, alpha 0 in strip 3's first pixel.
      const strips = Array.from({ length: 7 }, (_, s) => Uint8Array.from({ length: 8 * 5 * 4 }, (_, i) => (s === 3 && i === 3 ? 0 : (s * 31 + i * 7) & 255)));
      const info = { blockWidth: 8, samples: 4, bitsPerSample: 8, photometric: 2, alphaSample: 3, compression: 1 };
      const claims = stripClaims(7);
      expect([claimFront(claims), claimFront(claims)]).toEqual([0, 1]);
      const r = await thread.decode(strips, { compression: 1, expected: 8 * 5 * 4, rows: Array(7).fill(5), convert: { info, predictor: 1 } }, claims);
      expect(r.first).toBe(2);
      expect(r.done).toHaveLength(5);
      expect(claimFront(claims)).toBe(-1);
      // Each as this thread converts it.
      for (const [k, d] of r.done.entries()) {
        const here = toRgbBlock(info as IfdInfo, [strips[k + 2]], 5);
        expect(d).toEqual({ rgb: here.rgb, valid: here.valid });
      }
      expect((r.done[1] as { valid: Uint8Array }).valid[0]).toBe(0);
    } finally {
      await thread.terminate();
    }
  });

  it('reports a corrupt strip as an error, and a stopped thread as one', async () => {
    const thread = await LzwThread.start();
    // A code past the dictionary right after the first one.
    await expect(thread.decode([Uint8Array.from([0x80, 0x3f, 0xf0, 0x00])], { compression: 5, expected: 64 })).rejects.toThrow(/LZW/);
    await thread.terminate();
    await expect(thread.decode([new Uint8Array(4)], { compression: 5, expected: 16 })).rejects.toThrow();
  });
});
