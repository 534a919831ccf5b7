import { describe, expect, it } from 'vitest';
import { resampleArea, type RgbRaster } from './resample-area';

function raster(w: number, h: number, f: (x: number, y: number) => [number, number, number, number]): RgbRaster {
  const rgb = new Uint8Array(w * h * 3);
  const valid = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b, v] = f(x, y);
      const i = y * w + x;
      rgb.set([r, g, b], i * 3);
      valid[i] = v;
    }
  return { width: w, height: h, rgb, valid };
}

describe('resampleArea', () => {
  const src = raster(8, 6, (x, y) => [x * 10, y * 10, 100, x === 0 && y === 0 ? 0 : 1]);
  it('copies at factor 1', () => {
    const r = resampleArea(src, [2, 1, 6, 4], 4, 3);
    expect(Array.from(r.rgb.subarray(0, 3))).toEqual([20, 10, 100]);
    expect(Array.from(r.rgb.subarray(33, 36))).toEqual([50, 30, 100]);
    // Whole rows (the raster's full width) come out the same, its invalid pixel too.
    const w = resampleArea(src, [0, 0, 8, 3], 8, 3);
    expect(Array.from(w.rgb)).toEqual(Array.from(src.rgb.subarray(0, 8 * 3 * 3)));
    expect(Array.from(w.valid)).toEqual(Array.from(src.valid.subarray(0, 24)));
    expect(w.valid[0]).toBe(0);
  });
  it('averages 2×2 blocks over valid pixels only (integer fast path = general path)', () => {
    const r = resampleArea(src, [0, 0, 8, 6], 4, 3);
    expect(Array.from(r.rgb.subarray(0, 3))).toEqual([7, 7, 100]); // (10+0+10)/3, (0+10+10)/3 with (0,0) invalid
    expect(r.valid[0]).toBe(1);
    const g = resampleArea(src, [0, 0, 8, 6.000001], 4, 3);
    expect(Array.from(g.rgb.subarray(3, 6))).toEqual(Array.from(r.rgb.subarray(3, 6)));
  });
  it('area-weights fractional boxes and marks cells outside the raster invalid', () => {
    const r = resampleArea(src, [0.5, 0, 2.5, 1], 1, 1);
    expect(r.rgb[0]).toBe(13); // x=0 invalid at y=0; x=1 weight 1, x=2 weight ½: (10 + ½·20) / 1.5
    const out = resampleArea(src, [6, 0, 10, 2], 2, 1);
    expect(Array.from(out.valid)).toEqual([1, 0]);
  });
  it('integer factors on an unmasked raster give the same cells as the masked path', () => {
    const full = raster(31, 20, (x, y) => [(x * 37 + y * 11) & 255, (x * 5 + y * 71) & 255, (x * y) & 255, 1]);
    for (const k of [2, 3, 4]) {
      const box = [1, 2, 1 + 7 * k, 2 + 5 * k] as const;
      const fast = resampleArea({ ...full, allValid: true }, box, 7, 5);
      const slow = resampleArea(full, box, 7, 5);
      expect(fast.rgb).toEqual(slow.rgb);
      expect(fast.valid).toEqual(slow.valid);
    }
  });
  it('integer factors on boxes reaching past the raster: inside cells, edge cells and validity as a plain area average', () => {
    const W = 23,
      H = 17;
    for (const masked of [false, true]) {
      const src = raster(W, H, (x, y) => [(x * 37 + y * 11) & 255, (x * 5 + y * 71) & 255, (x * y) & 255, masked && (x + y) % 7 === 0 ? 0 : 1]);
      if (!masked) src.allValid = true;
      for (const k of [2, 3]) {
        const x0 = 4,
          y0 = 2,
          ow = 9,
          oh = 7;
        const r = resampleArea(src, [x0, y0, x0 + ow * k, y0 + oh * k], ow, oh);
        for (let j = 0; j < oh; j++)
          for (let i = 0; i < ow; i++) {
            let n = 0;
            const sum = [0, 0, 0];
            for (let y = y0 + j * k; y < y0 + (j + 1) * k; y++)
              for (let x = x0 + i * k; x < x0 + (i + 1) * k; x++) {
                if (x >= W || y >= H || !src.valid[y * W + x]) continue;
                n++;
                for (let c = 0; c < 3; c++) sum[c] += src.rgb[(y * W + x) * 3 + c];
              }
            const p = j * ow + i;
            const ok = n > 0 && n >= (k * k) / 2;
            expect(r.valid[p], `k ${k} cell ${i},${j}`).toBe(ok ? 1 : 0);
            if (ok) expect([...r.rgb.subarray(p * 3, p * 3 + 3)]).toEqual(sum.map((v) => Math.round(v / n)));
          }
      }
    }
  });
});
