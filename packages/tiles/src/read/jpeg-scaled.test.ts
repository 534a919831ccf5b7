import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECODERS, JPEG_COMPRESSION, requireSharp, type BlockLayout } from './codecs';
import { scaledJpegDecoder } from './jpeg-scaled';
import { openGeoTiffSource } from './open-geotiff-source';

/** A REAL aerial tile (NEON, 10 cm, 400 × 400 px) from the shared folder beside the clone. */
const REAL = join(import.meta.dirname, '../../../../../shared/real-aerial/harv-001.tif');

/** The tile's pixels, JPEG-encoded by libjpeg (sharp) at quality 85 with 4:2:0 chroma, as GDAL writes COG blocks. */
async function realJpeg(): Promise<{ jpeg: Buffer; w: number; h: number }> {
  const src = await openGeoTiffSource(REAL);
  try {
    const r = await src.readWindow([0, 0, src.width, src.height]);
    const jpeg = await requireSharp()(Buffer.from(r.rgb), { raw: { width: r.width, height: r.height, channels: 3 } })
      .jpeg({ quality: 85, chromaSubsampling: '4:2:0' })
      .toBuffer();
    return { jpeg, w: r.width, h: r.height };
  } finally {
    await src.close();
  }
}

/** Mean and largest absolute difference between `got` and the k × k box average of `full` (w × h RGB). */
function againstBox(full: Uint8Array, w: number, got: Uint8Array, gw: number, gh: number, k: number): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) s += full[((y * k + dy) * w + x * k + dx) * 3 + c];
        const d = Math.abs(got[(y * gw + x) * 3 + c] - s / (k * k));
        sum += d;
        max = Math.max(max, d);
      }
    }
  }
  return { mean: sum / (gw * gh * 3), max };
}

describe('scaled JPEG decoding (libjpeg DCT scaling through libvips)', () => {
  it('decodes a real aerial JPEG 2× and 4× smaller, close to a box reduction of the full decode', async (ctx) => {
    if (!existsSync(REAL)) {
      process.stderr.write(`[tiles] NOTICE: ${REAL} not found — the real-tile scaled JPEG case is SKIPPED.\n`);
      ctx.skip();
      return;
    }
    const d = scaledJpegDecoder();
    expect(d, 'the scaled decoder loads wherever sharp does').not.toBeNull();
    const { jpeg, w, h } = await realJpeg();
    const full = await requireSharp()(jpeg).raw().toBuffer();
    const half = await d!.decode(jpeg, 2);
    expect([half.width, half.height, half.channels, half.data.length]).toEqual([w / 2, h / 2, 3, (w / 2) * (h / 2) * 3]);
    const quarter = await d!.decode(jpeg, 4);
    expect([quarter.width, quarter.height]).toEqual([w / 4, h / 4]);
    // Measured on harv-001: 1/2 mean 0.56, largest 11.75 grey levels (the scaled inverse DCT keeps a little more
    // detail than a box); 1/4 mean 0.60, largest 6.2. Limits about twice that.
    const e2 = againstBox(full, w, half.data, half.width, half.height, 2);
    expect(e2.mean).toBeLessThan(1.2);
    expect(e2.mean).toBeGreaterThan(0.1); // not a box reduction: the DCT's own low-pass
    expect(e2.max).toBeLessThan(25);
    const e4 = againstBox(full, w, quarter.data, quarter.width, quarter.height, 4);
    expect(e4.mean).toBeLessThan(1.2);
    expect(e4.max).toBeLessThan(15);
  });

  it('decodes textured ground 2× and 4× smaller, close to a box reduction (runs without the shared folder)', async () => {
    // Smooth variation plus grain, like crops seen sharp (the quality test image's recipe), 400 × 400 px.
    const w = 400;
    const h = 400;
    const rgb = new Uint8Array(w * h * 3);
    let seed = 7;
    for (let i = 0; i < w * h; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const g = ((seed >>> 16) % 41) - 20;
      const base = 110 + 40 * Math.sin((i % w) / 9) * Math.cos(Math.floor(i / w) / 13);
      rgb.set([base + 0.8 * g, base + 20 + g, base - 30 + 0.6 * g], 3 * i);
    }
    const jpeg = await requireSharp()(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 85, chromaSubsampling: '4:2:0' })
      .toBuffer();
    const d = scaledJpegDecoder();
    expect(d, 'the scaled decoder loads wherever sharp does').not.toBeNull();
    const full = await requireSharp()(jpeg).raw().toBuffer();
    const half = await d!.decode(jpeg, 2);
    const quarter = await d!.decode(jpeg, 4);
    expect([half.width, half.height, quarter.width, quarter.height]).toEqual([200, 200, 100, 100]);
    const e2 = againstBox(full, w, half.data, half.width, half.height, 2);
    const e4 = againstBox(full, w, quarter.data, quarter.width, quarter.height, 4);
    // Measured: 1/2 mean 0.26, largest 1.75 grey levels; 1/4 mean 0.26, largest 2. Limits about twice that: every
    // other pixel (no averaging: the grain alone is ±20) or swapped channels fail.
    expect(e2.mean).toBeLessThan(0.6);
    expect(e4.mean).toBeLessThan(0.6);
    expect(e2.max).toBeLessThan(5);
    expect(e4.max).toBeLessThan(5);
  });

  it('decodes at full size straight into the buffer given, the very pixels sharp decodes, as the JPEG codec does', async () => {
    const d = scaledJpegDecoder()!;
    // A 16-row strip 3 000 px wide (GDAL's striped JPEG) with 4:2:0 chroma, and a 256² tile at 4:4:4.
    for (const [w, h, sub] of [
      [3000, 16, '4:2:0'],
      [256, 256, '4:4:4'],
    ] as const) {
      const rgb = new Uint8Array(w * h * 3).map((_, i) => (((i * 2654435761) >>> 13) & 127) + 40 + (i % 3) * 20);
      const jpeg = await requireSharp()(Buffer.from(rgb), { raw: { width: w, height: h, channels: 3 } })
        .jpeg({ quality: 85, chromaSubsampling: sub })
        .toBuffer();
      const bySharp = await requireSharp()(jpeg).raw().toBuffer();
      const given = new Uint8Array(w * h * 3);
      const out = await d.decode(jpeg, 1, (n) => (n === given.length ? given : new Uint8Array(n)));
      expect(out.data.buffer, 'no buffer of its own').toBe(given.buffer);
      expect(Buffer.from(given).equals(bySharp)).toBe(true);
      // The TIFF codec takes this path whenever the reader hands it a buffer.
      const layout: BlockLayout = { blockWidth: w, blockHeight: h, samples: 3, bitsPerSample: 8, predictor: 1 };
      const into = new Uint8Array(w * h * 3);
      const viaCodec = await DECODERS.get(JPEG_COMPRESSION)!(jpeg, layout, () => into);
      expect(viaCodec.buffer).toBe(into.buffer);
      expect(Buffer.from(into).equals(bySharp)).toBe(true);
    }
  });

  it("refuses a block whose stream claims more pixels than the file's layout before asking for any buffer", async () => {
    // A crafted file's tile could claim 30 000 × 30 000 pixels: 2.7 GB written before any check after the decode.
    const rgb = new Uint8Array(256 * 64 * 3).fill(90);
    const jpeg = await requireSharp()(Buffer.from(rgb), { raw: { width: 256, height: 64, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    let asked = 0;
    const into = (n: number) => {
      asked += n;
      return new Uint8Array(n);
    };
    const strip: BlockLayout = { blockWidth: 256, blockHeight: 16, samples: 3, bitsPerSample: 8, predictor: 1 };
    await expect(DECODERS.get(JPEG_COMPRESSION)!(jpeg, strip, into)).rejects.toThrow(/JPEG block is 256×64×3, expected 256×16×3/);
    const narrow: BlockLayout = { ...strip, blockWidth: 128, blockHeight: 64 };
    await expect(DECODERS.get(JPEG_COMPRESSION)!(jpeg, narrow, into)).rejects.toThrow(/expected 128×64×3/);
    expect(asked).toBe(0);
    // A last strip of fewer rows than the layout's is a file's own: decoded.
    const last: BlockLayout = { ...strip, blockHeight: 96 };
    expect((await DECODERS.get(JPEG_COMPRESSION)!(jpeg, last, into)).length).toBe(256 * 64 * 3);
  });

  it('decodes into a buffer it is given, and refuses a corrupt stream', async () => {
    const d = scaledJpegDecoder()!;
    const rgb = new Uint8Array(64 * 48 * 3).map((_, i) => (i * 37) & 255);
    const jpeg = await requireSharp()(Buffer.from(rgb), { raw: { width: 64, height: 48, channels: 3 } })
      .jpeg({ quality: 90 })
      .toBuffer();
    const given = new Uint8Array(32 * 24 * 3 + 100);
    const out = await d.decode(jpeg, 2, (n) => given.subarray(0, n));
    expect(out.data.buffer).toBe(given.buffer);
    expect([out.width, out.height]).toEqual([32, 24]);
    await expect(d.decode(jpeg.subarray(0, jpeg.length >> 1), 2)).rejects.toThrow();
    await expect(d.decode(Buffer.from('not a jpeg at all'), 2)).rejects.toThrow();
    // At full size into a buffer too: a truncated block is refused, not handed back half grey.
    await expect(d.decode(jpeg.subarray(0, jpeg.length >> 1), 1, (n) => new Uint8Array(n))).rejects.toThrow();
  });
});
