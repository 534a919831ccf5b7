import { describe, expect, it } from 'vitest';
import { undoHorizontalPredictor } from '../codecs';
import { resampleArea } from '../resample-area';
import { copyRowsIntoKernel, kernelBuffer } from './kernels';

let seed = 11;
const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;

describe('WebAssembly kernels', () => {
  it('undo predictor 2 on 8-bit RGB like x[i] += x[i − 3]', () => {
    for (const [w, rows] of [
      [256, 256],
      [8192, 2],
      [5, 3],
      [7, 1],
      [21, 4],
    ]) {
      const d = Uint8Array.from({ length: w * rows * 3 }, rnd);
      const want = d.slice();
      for (let y = 0; y < rows; y++) for (let i = 3; i < w * 3; i++) want[y * w * 3 + i] = (want[y * w * 3 + i] + want[y * w * 3 + i - 3]) & 255;
      undoHorizontalPredictor(d, { blockWidth: w, blockHeight: rows, samples: 3, bitsPerSample: 8, predictor: 2 }, rows);
      expect(Buffer.compare(Buffer.from(d), Buffer.from(want))).toBe(0);
    }
  });

  /** A region of a raster of random pixels, and a box on it, for one resampling comparison. */
  type Case = { W: number; H: number; f: number; ow: number; oh: number; x0: number; y0: number };
  const wholeAndDyadic = (it: number): Case => {
    const [W, H, f] = [5 + (rnd() % 60), 5 + (rnd() % 60), [1.5, 2, 3, 2.5, 1.25, 0.75, 4][it % 7]];
    return { W, H, f, ow: 2 + (rnd() % 20), oh: 2 + (rnd() % 20), x0: it % 2 ? rnd() % 10 : (rnd() % 40) / 2, y0: (rnd() % 20) / 2 - (it % 5 === 0 ? 3 : 0) };
  };
  // 1.5004: a 10-cm orthophoto, a hair coarser on the ground, read for a 15-cm model; boxes inside the raster.
  const anyFactorInside = (it: number): Case => {
    const [W, H, f] = [20 + (rnd() % 80), 20 + (rnd() % 80), [1.5004, 2.37, 1.1, 1.4999, 3.3][it % 5]];
    const ow = 2 + (rnd() % Math.floor((W - 2) / f - 2));
    return { W, H, f, ow, oh: 2 + (rnd() % Math.floor((H - 2) / f - 2)), x0: (rnd() % 7) * 0.29, y0: (rnd() % 7) * 0.13 };
  };
  it.each([
    ['whole and dyadic factors, boxes inside and past the edges', 600, wholeAndDyadic],
    ['any factor (1.5004, 2.37, 1.1, 1.4999, 3.3), boxes inside', 400, anyFactorInside],
  ] as const)('resample regions in kernel buffers to the same bytes as the JavaScript: %s', (_name, runs, pick) => {
    for (let it = 0; it < runs; it++) {
      const { W, H, f, ow, oh, x0, y0 } = pick(it);
      const rgb = Uint8Array.from({ length: W * H * 3 }, rnd);
      const plain: Parameters<typeof resampleArea>[0] = { width: W, height: H, rgb, valid: new Uint8Array(W * H).fill(1), allValid: true };
      const kb = kernelBuffer(rgb.length);
      if (!kb) return; // no WebAssembly here: the JavaScript is all there is
      kb.set(rgb);
      const box = [x0, y0, x0 + ow * f, y0 + oh * f] as const;
      const a = resampleArea(plain, box, ow, oh);
      const b = resampleArea({ ...plain, rgb: kb }, box, ow, oh);
      expect(Buffer.compare(Buffer.from(b.rgb), Buffer.from(a.rgb)), `factor ${f}, ${ow} × ${oh} from ${W} × ${H}`).toBe(0);
      expect(Buffer.compare(Buffer.from(b.valid), Buffer.from(a.valid))).toBe(0);
    }
  });

  it('copy rows into a kernel buffer as a row-by-row copy would, and refuse what is not one or does not fit', () => {
    for (let it = 0; it < 200; it++) {
      const srcW = 4 + (rnd() % 40);
      const srcRows = 2 + (rnd() % 30);
      const src = Uint8Array.from({ length: srcW * srcRows * 3 }, rnd);
      const dstW = srcW + (rnd() % 50);
      const dstRows = srcRows + (rnd() % 10);
      const dst = kernelBuffer(dstW * dstRows * 3);
      if (!dst) return; // no WebAssembly: placeBlock copies row by row
      dst.fill(7);
      const want = dst.slice();
      const cols = 1 + (rnd() % srcW);
      const sx = rnd() % (srcW - cols + 1);
      const rows = 1 + (rnd() % srcRows);
      const sy = rnd() % (srcRows - rows + 1);
      const dx = rnd() % (dstW - cols + 1);
      const dy = rnd() % (dstRows - rows + 1);
      for (let r = 0; r < rows; r++) {
        const s = ((sy + r) * srcW + sx) * 3;
        want.set(src.subarray(s, s + cols * 3), ((dy + r) * dstW + dx) * 3);
      }
      const ok = copyRowsIntoKernel(dst, (dy * dstW + dx) * 3, dstW * 3, src, (sy * srcW + sx) * 3, srcW * 3, cols * 3, rows);
      expect(ok).toBe(true);
      expect(Buffer.compare(Buffer.from(dst), Buffer.from(want))).toBe(0);
    }
    // A window's narrow piece of a wide strip band (128 of 40 000 px, 32 rows): copied row by row, not staged whole.
    const band = Uint8Array.from({ length: 40_000 * 32 * 3 }, (_, i) => (i * 13 + (i >> 11)) & 255);
    const piece = kernelBuffer(128 * 40 * 3);
    if (piece) {
      piece.fill(9);
      const expected = piece.slice();
      for (let r = 0; r < 32; r++) expected.set(band.subarray((r * 40_000 + 30_000) * 3, (r * 40_000 + 30_128) * 3), (r + 4) * 128 * 3);
      expect(copyRowsIntoKernel(piece, 4 * 128 * 3, 128 * 3, band, 30_000 * 3, 40_000 * 3, 128 * 3, 32)).toBe(true);
      expect(Buffer.compare(Buffer.from(piece), Buffer.from(expected))).toBe(0);
      // Rows that would run past the buffer: refused, nothing written.
      expect(copyRowsIntoKernel(piece, 30 * 128 * 3, 128 * 3, band, 0, 40_000 * 3, 128 * 3, 32)).toBe(false);
      expect(Buffer.compare(Buffer.from(piece), Buffer.from(expected))).toBe(0);
    }
    const small = kernelBuffer(16 * 3);
    if (!small) return;
    const big = new Uint8Array(512 * 512 * 3);
    // Rows spanning more than the memory after the buffer: the caller copies them itself.
    expect(copyRowsIntoKernel(small, 0, 48, big, 0, 512 * 3, 48, 512)).toBe(false);
    expect(copyRowsIntoKernel(new Uint8Array(48), 0, 48, big, 0, 48, 48, 1)).toBe(false);
  });
});
