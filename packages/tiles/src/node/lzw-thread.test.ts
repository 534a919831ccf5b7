import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeoTiff } from '../write/index';
import { openGeoTiffSource } from '../read/open-geotiff-source';
import { gdal, gdalAvailable } from '../testing/gdal-available';
import { LzwThread } from './lzw-thread';

const W = 900;
const H = 500;
let dir: string;
const files: Record<string, string> = {};

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
  for (const predictor of ['1', '2']) {
    files[predictor] = join(dir, `striped-${predictor}.tif`);
    gdal('gdal_translate', ['-q', '-co', 'TILED=NO', '-co', 'BLOCKYSIZE=5', '-co', 'COMPRESS=LZW', '-co', `PREDICTOR=${predictor}`, tiled, files[predictor]]);
  }
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LzwThread', () => {
  for (const predictor of ['1', '2']) {
    it(`decodes half of each band of LZW strips to the same pixels as this thread (predictor ${predictor})`, async (ctx) => {
      if (!files[predictor]) return ctx.skip();
      const [alone, helped] = await Promise.all([
        openGeoTiffSource(files[predictor], { cacheBytes: 64 << 20 }),
        openGeoTiffSource(files[predictor], { cacheBytes: 64 << 20 }),
      ]);
      const thread = await LzwThread.start();
      const lzw = {
        calls: 0,
        acquire: () => thread.acquire(),
        release: () => thread.release(),
        lzw: (s: Uint8Array[], n: number) => (lzw.calls++, thread.lzw(s, n)),
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
        // Bands were handed to the thread, and the same strips were counted as decoded.
        expect(lzw.calls).toBeGreaterThan(0);
        expect(helped.blocksDecoded()).toBe(alone.blocksDecoded());
      } finally {
        await thread.terminate();
        await Promise.all([alone.close(), helped.close()]);
      }
    });
  }

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

  it('reports a corrupt strip as an error, and a stopped thread as one', async () => {
    const thread = await LzwThread.start();
    // A code past the dictionary right after the first one.
    await expect(thread.lzw([Uint8Array.from([0x80, 0x3f, 0xf0, 0x00])], 64)).rejects.toThrow(/LZW/);
    await thread.terminate();
    await expect(thread.lzw([new Uint8Array(4)], 16)).rejects.toThrow();
  });
});
