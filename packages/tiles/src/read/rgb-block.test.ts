import { describe, expect, it } from 'vitest';
import { undoHorizontalPredictor } from './codecs';
import type { IfdInfo } from './ifd-info';
import { ALL_VALID_MASK, toMaskBlock, toRgbBlock } from './rgb-block';

/** Deterministic bytes (a linear congruential generator): no test depends on Math.random. */
function bytes(n: number, seed: number): Uint8Array {
  const a = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    a[i] = x >>> 24;
  }
  return a;
}

const chunky8 = (samples: number, alphaSample: number, compression = 5) =>
  ({ blockWidth: 5, samples, bitsPerSample: 8, photometric: 2, alphaSample, compression }) as unknown as IfdInfo;

describe('toRgbBlock, 8-bit separate planes', () => {
  const planes = [0, 1, 2, 3].map((p) => bytes(15, 11 + p));
  for (let i = 0; i < 15; i += 4) planes[3][i] = 0;

  it('interleaves the first three planes, and marks pixels invalid where the alpha plane is 0', () => {
    const b = toRgbBlock(chunky8(4, 3), planes, 3);
    expect(Array.from(b.rgb)).toEqual(Array.from({ length: 45 }, (_, k) => planes[k % 3][Math.floor(k / 3)]));
    expect(Array.from(b.valid!)).toEqual(Array.from({ length: 15 }, (_, i) => (planes[3][i] ? 1 : 0)));
  });

  it('a fourth plane that is not alpha (its bytes never read: an empty array) leaves every pixel valid', () => {
    const b = toRgbBlock(chunky8(4, -1), [...planes.slice(0, 3), new Uint8Array(0)], 3);
    expect(b.valid).toBeNull();
    expect(Array.from(b.rgb)).toEqual(Array.from({ length: 45 }, (_, k) => planes[k % 3][Math.floor(k / 3)]));
  });
});

describe('toRgbBlock, 8-bit chunky pixels of three or more samples', () => {
  const raw = bytes(5 * 3 * 4, 7);
  // Some alpha bytes 0 (invalid pixels).
  for (let i = 3; i < raw.length; i += 8) raw[i] = 0;

  it('keeps the colour bytes, and marks pixels invalid where their alpha is 0', () => {
    const b = toRgbBlock(chunky8(4, 3), [raw], 3);
    expect(Array.from(b.rgb)).toEqual(Array.from({ length: 15 * 3 }, (_, k) => raw[Math.floor(k / 3) * 4 + (k % 3)]));
    expect(Array.from(b.valid!)).toEqual(Array.from({ length: 15 }, (_, i) => (raw[i * 4 + 3] ? 1 : 0)));
    expect(b.byteLength).toBe(15 * 4);
  });

  it('drops an extra band that is not alpha (every pixel valid), and writes into given arrays', () => {
    const into = { rgb: new Uint8Array(45), valid: null };
    const b = toRgbBlock(chunky8(4, -1), [raw], 3, undefined, into);
    expect(b.rgb).toBe(into.rgb);
    expect(b.valid).toBeNull();
    expect(Array.from(b.rgb)).toEqual(Array.from({ length: 45 }, (_, k) => raw[Math.floor(k / 3) * 4 + (k % 3)]));
  });
});

describe('undoHorizontalPredictor, 8-bit four-sample pixels', () => {
  /** The predictor undone a byte at a time: each sample plus the same sample of the pixel to its left. */
  const reference = (d: Uint8Array, w: number, rows: number) => {
    const out = d.slice();
    for (let y = 0; y < rows; y++) for (let i = y * w * 4 + 4; i < (y + 1) * w * 4; i++) out[i] = (out[i] + out[i - 4]) & 255;
    return out;
  };

  it('gives the bytewise sums, a pixel a word (aligned) or a byte at a time (unaligned)', () => {
    const w = 37;
    const rows = 5;
    const d = bytes(w * rows * 4, 99);
    const want = reference(d, w, rows);
    const aligned = d.slice();
    undoHorizontalPredictor(aligned, { blockWidth: w, blockHeight: rows, samples: 4, bitsPerSample: 8, predictor: 2 }, rows);
    expect(Buffer.compare(Buffer.from(aligned), Buffer.from(want))).toBe(0);
    const unaligned = new Uint8Array(d.length + 1).subarray(1);
    unaligned.set(d);
    undoHorizontalPredictor(unaligned, { blockWidth: w, blockHeight: rows, samples: 4, bitsPerSample: 8, predictor: 2 }, rows);
    expect(Buffer.compare(Buffer.from(unaligned), Buffer.from(want))).toBe(0);
  });
});

describe('toMaskBlock', () => {
  const mask = (bitsPerSample: number, blockWidth: number) => ({ blockWidth, bitsPerSample }) as unknown as IfdInfo;
  /** Pixel (x, y) of a packed block: 1 valid. */
  const bit = (b: Uint8Array, w: number, x: number, y: number) => (b[y * Math.ceil(w / 8) + (x >> 3)] >> (7 - (x & 7))) & 1;

  it('keeps 1-bit rows packed, their padding bits aside', () => {
    // 10 px a row (2 bytes), 2 rows: row 0 all valid but x = 9, row 1 valid at x = 0 only. Padding bits set.
    const raw = Uint8Array.from([0xff, 0b10111111, 0x80, 0x3f]);
    const b = toMaskBlock(mask(1, 10), raw, 2);
    expect(Array.from({ length: 10 }, (_, x) => bit(b, 10, x, 0))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(Array.from({ length: 10 }, (_, x) => bit(b, 10, x, 1))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('packs 8-bit masks (any non-zero byte valid)', () => {
    const raw = Uint8Array.from([255, 0, 1, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const b = toMaskBlock(mask(8, 10), raw, 2);
    expect(Array.from({ length: 10 }, (_, x) => bit(b, 10, x, 0))).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from({ length: 10 }, (_, x) => bit(b, 10, x, 1))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('gives the all-valid block when every pixel is valid, whatever the padding bits, and only then', () => {
    expect(toMaskBlock(mask(1, 10), Uint8Array.from([0xff, 0xc0, 0xff, 0xc3]), 2)).toBe(ALL_VALID_MASK);
    expect(toMaskBlock(mask(8, 3), Uint8Array.from([1, 2, 3, 4, 5, 6]), 2)).toBe(ALL_VALID_MASK);
    expect(toMaskBlock(mask(1, 10), Uint8Array.from([0xff, 0xc0, 0xff, 0x80]), 2)).not.toBe(ALL_VALID_MASK);
    expect(toMaskBlock(mask(1, 16), Uint8Array.from([0xff, 0xfe]), 1)).not.toBe(ALL_VALID_MASK);
  });
});
