import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECODERS, JPEG_COMPRESSION, requireSharp, type BlockLayout } from './codecs';
import { scaledJpegDecoder } from './jpeg-scaled';
import { turboJpegDecoder } from './jpeg-turbo';
import { openGeoTiffSource } from './open-geotiff-source';

/** A REAL aerial tile (NEON, 10 cm, 400 × 400 px) from the shared folder beside the clone. */
const REAL = join(import.meta.dirname, '../../../../../shared/real-aerial/harv-001.tif');

/** Field-like texture: rows, speckle and edges, so every DCT coefficient and the chroma upsampling matter. */
function texture(w: number, h: number, seed: number): Buffer {
  const px = Buffer.alloc(w * h * 3);
  let s = seed;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      const o = (y * w + x) * 3;
      const row = (Math.floor(x / 7) + Math.floor(y / 11)) % 2 ? 60 : 0;
      px[o] = (90 + row + ((s >>> 24) & 63)) & 255;
      px[o + 1] = (120 + (x % 23) * 4 + ((s >>> 16) & 31)) & 255;
      px[o + 2] = (40 + (y % 17) * 6 + ((s >>> 8) & 15)) & 255;
    }
  }
  return px;
}

async function encode(px: Buffer, w: number, h: number, options: { quality: number; chromaSubsampling: string; progressive?: boolean }): Promise<Buffer> {
  return requireSharp()(px, { raw: { width: w, height: h, channels: 3 } })
    .jpeg(options)
    .toBuffer();
}

/** libvips' own decode of a stream (sharp), the reference every full-size JPEG decode is held to. */
const libvipsPixels = async (jpeg: Buffer) => new Uint8Array(await requireSharp()(jpeg, { failOn: 'error' }).raw().toBuffer());

const layoutOf = (w: number, h: number): BlockLayout => ({ blockWidth: w, blockHeight: h, samples: 3, bitsPerSample: 8, predictor: 1 });

describe('TurboJPEG decoding (libjpeg-turbo, accurate IDCT, through koffi)', () => {
  it('loads on Linux, where its library ships prebuilt', () => {
    expect(turboJpegDecoder() !== null).toBe(process.platform === 'linux' && ['x64', 'arm64', 'arm'].includes(process.arch));
  });

  it('decodes 4:2:0, 4:4:4 and progressive streams, whole and partial MCUs, to exactly the bytes libvips decodes', async (ctx) => {
    const t = turboJpegDecoder();
    if (!t) return ctx.skip();
    const cases = [
      { w: 512, h: 512, quality: 85, chromaSubsampling: '4:2:0' },
      { w: 1000, h: 16, quality: 75, chromaSubsampling: '4:2:0' },
      { w: 333, h: 17, quality: 90, chromaSubsampling: '4:2:0' },
      { w: 256, h: 64, quality: 95, chromaSubsampling: '4:4:4' },
      { w: 200, h: 120, quality: 85, chromaSubsampling: '4:2:0', progressive: true },
    ];
    for (const [i, c] of cases.entries()) {
      const jpeg = await encode(texture(c.w, c.h, 7 + i), c.w, c.h, c);
      const buf = new Uint8Array(c.w * c.h * 3 + 5).fill(1);
      const got = await t.decode(jpeg, (n) => buf.subarray(0, n), { width: c.w, height: c.h, channels: 3 });
      expect([got.width, got.height, got.data.buffer === buf.buffer]).toEqual([c.w, c.h, true]);
      expect(Buffer.compare(Buffer.from(got.data), Buffer.from(await libvipsPixels(jpeg))), `${JSON.stringify(c)}`).toBe(0);
    }
  });

  it('decodes a real aerial tile, JPEG-encoded as GDAL writes COG blocks, to exactly the bytes libvips decodes', async (ctx) => {
    const t = turboJpegDecoder();
    if (!t) return ctx.skip();
    if (!existsSync(REAL)) {
      process.stderr.write(`[tiles] NOTICE: ${REAL} not found — the real-tile TurboJPEG case is SKIPPED.\n`);
      return ctx.skip();
    }
    const src = await openGeoTiffSource(REAL);
    const r = await src.readWindow([0, 0, src.width, src.height]).finally(() => src.close());
    const jpeg = await encode(Buffer.from(r.rgb), r.width, r.height, { quality: 85, chromaSubsampling: '4:2:0' });
    const got = await t.decode(jpeg, (n) => new Uint8Array(n), { width: r.width, height: r.height, channels: 3 });
    expect(Buffer.compare(Buffer.from(got.data), Buffer.from(await libvipsPixels(jpeg)))).toBe(0);
  });

  it('refuses, before asking for a buffer, a stream of another width, more rows than the block, or one component', async (ctx) => {
    const t = turboJpegDecoder();
    if (!t) return ctx.skip();
    const jpeg = await encode(texture(64, 32, 1), 64, 32, { quality: 85, chromaSubsampling: '4:2:0' });
    const grey = await requireSharp()(texture(64, 32, 2), { raw: { width: 64, height: 32, channels: 3 } })
      .toColourspace('b-w')
      .jpeg()
      .toBuffer();
    let asked = 0;
    const into = (n: number) => (asked++, new Uint8Array(n));
    await expect(t.decode(jpeg, into, { width: 128, height: 32, channels: 3 })).rejects.toThrow(/64×32.*expected 128×32/);
    await expect(t.decode(jpeg, into, { width: 64, height: 16, channels: 3 })).rejects.toThrow(/expected 64×16/);
    await expect(t.decode(grey, into, { width: 64, height: 32, channels: 3 })).rejects.toThrow(/colour space 2/);
    expect(asked).toBe(0);
    // A buffer too small for the header's rows is refused before anything is written into it.
    const small = new Uint8Array(64 * 32 * 3 - 1).fill(7);
    await expect(t.decode(jpeg, () => small, { width: 64, height: 32, channels: 3 })).rejects.toThrow(/a buffer of 6143 bytes/);
    expect(small.every((v) => v === 7)).toBe(true);
    // A last strip may hold fewer rows than the block.
    const short = await t.decode(jpeg, into, { width: 64, height: 48, channels: 3 });
    expect([short.height, asked]).toEqual([32, 1]);
  });

  it("refuses damaged data libjpeg only warns about, and the codec then takes libvips' word, as before", async (ctx) => {
    const t = turboJpegDecoder();
    const v = scaledJpegDecoder();
    if (!t || !v) return ctx.skip();
    const jpeg = await encode(texture(256, 64, 3), 256, 64, { quality: 85, chromaSubsampling: '4:2:0' });
    // Cut in the middle of the entropy-coded data: "premature end of data", a warning to libjpeg.
    const cut = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
    await expect(t.decode(cut, (n) => new Uint8Array(n), { width: 256, height: 64, channels: 3 })).rejects.toThrow(/JPEG block/);
    const layout = layoutOf(256, 64);
    const codec = DECODERS.get(JPEG_COMPRESSION)!;
    const viaCodec = await codec(cut, layout, (n) => new Uint8Array(n)).then(Buffer.from, (e: Error) => e.message);
    const viaLibvips = await v
      .decode(cut, 1, (n) => new Uint8Array(n), { width: 256, height: 64, channels: 3 })
      .then(
        (r) => Buffer.from(r.data),
        (e: Error) => e.message,
      );
    expect(viaCodec).toEqual(viaLibvips);
    // And a whole stream through the codec is TurboJPEG's, byte for byte libvips'.
    const whole = await codec(jpeg, layout, (n) => new Uint8Array(n));
    expect(Buffer.compare(Buffer.from(whole), Buffer.from(await libvipsPixels(jpeg)))).toBe(0);
  });

  it('gives for 300 damaged streams (bytes changed, cut, spliced) exactly what libvips gives: the same bytes or a refusal', async (ctx) => {
    const v = scaledJpegDecoder();
    if (!turboJpegDecoder() || !v) return ctx.skip();
    const w = 200;
    const h = 48;
    const jpeg = await encode(texture(w, h, 11), w, h, { quality: 85, chromaSubsampling: '4:2:0' });
    const codec = DECODERS.get(JPEG_COMPRESSION)!;
    let seed = 5;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const outcomes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const bad = Buffer.from(jpeg);
      const kind = i % 3;
      if (kind === 0) for (let k = 0; k <= rnd(4); k++) bad[rnd(bad.length)] ^= 1 << rnd(8);
      const s =
        kind === 1
          ? bad.subarray(0, 2 + rnd(bad.length - 2))
          : kind === 2
            ? Buffer.concat([bad.subarray(0, rnd(bad.length)), bad.subarray(rnd(bad.length))])
            : bad;
      const asBytes = (r: { data: Uint8Array } | Uint8Array) => Buffer.from('data' in r ? r.data : r).toString('base64');
      const viaCodec = await codec(s, layoutOf(w, h), (n) => new Uint8Array(n)).then(asBytes, () => 'refused');
      const viaLibvips = await v.decode(s, 1, (n) => new Uint8Array(n), { width: w, height: h, channels: 3 }).then(asBytes, () => 'refused');
      expect(viaCodec, `damaged stream ${i}`).toBe(viaLibvips);
      outcomes.add(viaCodec === 'refused' ? 'refused' : 'decoded');
    }
    // Both kinds of outcome occurred: the comparison was made on decodes and on refusals.
    expect([...outcomes].sort()).toEqual(['decoded', 'refused']);
  });

  it('decodes sound streams after damaged ones: a decoder state that failed is not used again', async (ctx) => {
    const t = turboJpegDecoder();
    if (!t) return ctx.skip();
    const w = 160;
    const h = 32;
    const shape = { width: w, height: h, channels: 3 };
    const jpeg = await encode(texture(w, h, 21), w, h, { quality: 85, chromaSubsampling: '4:2:0' });
    const want = Buffer.from(await libvipsPixels(jpeg));
    let seed = 9;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    let refused = 0;
    for (let i = 0; i < 60; i++) {
      // One at a time, so the next decode takes the state the last one used (the first 2 000 bytes: headers and tables).
      const bad = Buffer.from(jpeg);
      for (let k = 0; k < 3; k++) bad[rnd(Math.min(2000, bad.length))] ^= 1 << rnd(8);
      refused += await t
        .decode(bad, (n) => new Uint8Array(n), shape)
        .then(
          () => 0,
          () => 1,
        );
      const sound = await t.decode(jpeg, (n) => new Uint8Array(n), shape);
      expect(Buffer.compare(Buffer.from(sound.data), want), `sound stream after damaged stream ${i}`).toBe(0);
    }
    expect(refused).toBeGreaterThan(10);
  });

  it('decodes many streams at once, each with its own decoder state, each into its own buffer', async (ctx) => {
    const t = turboJpegDecoder();
    if (!t) return ctx.skip();
    const jpegs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => encode(texture(300, 40, 100 + i), 300, 40, { quality: 80 + i, chromaSubsampling: '4:2:0' })),
    );
    const got = await Promise.all(jpegs.map((j) => t.decode(j, (n) => new Uint8Array(n), { width: 300, height: 40, channels: 3 })));
    for (const [i, j] of jpegs.entries()) expect(Buffer.compare(Buffer.from(got[i].data), Buffer.from(await libvipsPixels(j))), `stream ${i}`).toBe(0);
  });
});
