import { boxDownsample } from './box-downsample';
import { dyadic, resampleDyadic, resampleMaskedDyadic } from './resample-dyadic';
import { taps, type Taps } from './resample-taps';
import { areaInsideRgb8, inKernelBuffer, type AreaTaps } from './wasm/kernels';

/** An RGB raster with its validity mask (1 valid, 0 invalid), pixel-interleaved. */
export interface RgbRaster {
  width: number;
  height: number;
  rgb: Uint8Array;
  valid: Uint8Array;
  /** True when every pixel is known valid (lets consumers skip per-pixel checks). */
  allValid?: boolean;
}

/**
 * Area-averaged resampling of the source box [x0, x1) × [y0, y1) (fractional source pixels, may reach
 * outside the raster) onto `outWidth × outHeight` cells. Only valid source pixels contribute; a cell is
 * valid when valid pixels cover at least half of it.
 * long: one hot loop kept whole so V8 optimises one function; it picks the copy, box, edge, all-valid or dyadic path, else sums each cell's weighted valid pixels and their weight.
 */
export function resampleArea(src: RgbRaster, box: readonly [number, number, number, number], outWidth: number, outHeight: number): RgbRaster {
  const [x0, y0, x1, y1] = box;
  const fx = (x1 - x0) / outWidth;
  const fy = (y1 - y0) / outHeight;
  if (
    Number.isInteger(fx) &&
    fx === fy &&
    Number.isInteger(x0) &&
    Number.isInteger(y0) &&
    x0 >= 0 &&
    y0 >= 0 &&
    x1 <= src.width &&
    y1 <= src.height &&
    fx > 1
  ) {
    return boxDownsample(src, x0, y0, fx, outWidth, outHeight);
  }
  const tx = taps(x0, x1, outWidth, src.width);
  const ty = taps(y0, y1, outHeight, src.height);
  if (!Number.isInteger(fx) && src.allValid && x0 >= 0 && y0 >= 0 && x1 <= src.width && y1 <= src.height)
    return resampleAllValid(src, tx, ty, y0, y1, outWidth, outHeight);
  const rgb = new Uint8Array(outWidth * outHeight * 3);
  const valid = new Uint8Array(outWidth * outHeight);
  if (fx === 1 && fy === 1 && Number.isInteger(x0) && Number.isInteger(y0) && x0 >= 0 && y0 >= 0 && x1 <= src.width && y1 <= src.height) {
    // Whole rows (a window read as its own region, as the second stage's are) in one copy: two views a row were
    // garbage for the collector.
    const rows = outWidth === src.width ? 1 : outHeight;
    const run = outWidth === src.width ? outWidth * outHeight : outWidth;
    for (let y = 0; y < rows; y++) {
      const s = (y0 + y) * src.width + x0;
      rgb.set(src.rgb.subarray(s * 3, (s + run) * 3), y * outWidth * 3);
      valid.set(src.valid.subarray(s, s + run), y * outWidth);
    }
    return { width: outWidth, height: outHeight, rgb, valid, allValid: src.allValid };
  }
  if (Number.isInteger(fx) && fx === fy && Number.isInteger(x0) && Number.isInteger(y0) && x0 >= 0 && y0 >= 0 && x1 <= src.width && y1 <= src.height) {
    return boxDownsample(src, x0, y0, fx, outWidth, outHeight);
  }
  if (Number.isInteger(fx) && fx === fy && Number.isInteger(x0) && Number.isInteger(y0) && x0 >= 0 && y0 >= 0) {
    // A box reaching past the raster (the last tiles of a row or column): the cells wholly inside take the
    // integer path, only the edge strips the general one.
    const inW = Math.min(outWidth, Math.floor((src.width - x0) / fx));
    const inH = Math.min(outHeight, Math.floor((src.height - y0) / fy));
    if (inW > 0 && inH > 0) {
      const core = boxDownsample(src, x0, y0, fx, inW, inH);
      for (let y = 0; y < inH; y++) {
        rgb.set(core.rgb.subarray(y * inW * 3, (y + 1) * inW * 3), y * outWidth * 3);
        valid.set(core.valid.subarray(y * inW, (y + 1) * inW), y * outWidth);
      }
      if (inW < outWidth) {
        const r = resampleArea(src, [x0 + inW * fx, y0, x1, y1], outWidth - inW, outHeight);
        const n = outWidth - inW;
        for (let y = 0; y < outHeight; y++) {
          rgb.set(r.rgb.subarray(y * n * 3, (y + 1) * n * 3), (y * outWidth + inW) * 3);
          valid.set(r.valid.subarray(y * n, (y + 1) * n), y * outWidth + inW);
        }
      }
      if (inH < outHeight) {
        const r = resampleArea(src, [x0, y0 + inH * fy, x0 + inW * fx, y1], inW, outHeight - inH);
        for (let y = 0; y < outHeight - inH; y++) {
          rgb.set(r.rgb.subarray(y * inW * 3, (y + 1) * inW * 3), (inH + y) * outWidth * 3);
          valid.set(r.valid.subarray(y * inW, (y + 1) * inW), (inH + y) * outWidth);
        }
      }
      return { width: outWidth, height: outHeight, rgb, valid };
    }
  }
  if (src.allValid && x0 >= 0 && y0 >= 0 && x1 <= src.width && y1 <= src.height) return resampleAllValid(src, tx, ty, y0, y1, outWidth, outHeight);
  if (dyadic(tx.weight, tx.start[outWidth - 1] + tx.count[outWidth - 1]) && dyadic(ty.weight, ty.start[outHeight - 1] + ty.count[outHeight - 1])) {
    return resampleMaskedDyadic(src, tx, ty, y0, y1, fx * fy, outWidth, outHeight, rgb, valid);
  }
  const rowLo = Math.max(0, Math.floor(y0));
  const rowHi = Math.min(src.height, Math.ceil(y1));
  const rowsUsed = Math.max(0, rowHi - rowLo);
  // Horizontal pass: per used source row and output column, weighted sums of r, g, b over valid pixels, and valid weight.
  const h = new Float32Array(rowsUsed * outWidth * 4);
  const sr = src.rgb;
  const sv = src.valid;
  for (let yy = 0; yy < rowsUsed; yy++) {
    const row = (rowLo + yy) * src.width;
    const o = yy * outWidth * 4;
    for (let j = 0; j < outWidth; j++) {
      let r = 0,
        g = 0,
        b = 0,
        v = 0;
      const s = tx.start[j];
      const e = s + tx.count[j];
      for (let t = s; t < e; t++) {
        const p = row + tx.index[t];
        if (!sv[p]) continue;
        const w = tx.weight[t];
        r += w * sr[p * 3];
        g += w * sr[p * 3 + 1];
        b += w * sr[p * 3 + 2];
        v += w;
      }
      const q = o + j * 4;
      h[q] = r;
      h[q + 1] = g;
      h[q + 2] = b;
      h[q + 3] = v;
    }
  }
  const half = 0.5 * fx * fy;
  for (let i = 0; i < outHeight; i++) {
    const s = ty.start[i];
    const e = s + ty.count[i];
    for (let j = 0; j < outWidth; j++) {
      let r = 0,
        g = 0,
        b = 0,
        v = 0;
      for (let t = s; t < e; t++) {
        const q = ((ty.index[t] - rowLo) * outWidth + j) * 4;
        const w = ty.weight[t];
        r += w * h[q];
        g += w * h[q + 1];
        b += w * h[q + 2];
        v += w * h[q + 3];
      }
      const p = i * outWidth + j;
      if (v >= half && v > 0) {
        valid[p] = 1;
        rgb[p * 3] = Math.round(r / v);
        rgb[p * 3 + 1] = Math.round(g / v);
        rgb[p * 3 + 2] = Math.round(b / v);
      }
    }
  }
  return { width: outWidth, height: outHeight, rgb, valid };
}

/** Taps for the WebAssembly resampler: indices as (index − c0) × scale (source rows, or byte offsets in the row buffer), weights widened to double. */
function f64Taps(t: Taps, c0: number, scale: number): AreaTaps {
  const n = t.start[t.start.length - 1] + t.count[t.count.length - 1];
  const index = new Int32Array(n);
  for (let k = 0; k < n; k++) index[k] = (t.index[k] - c0) * scale;
  return { start: t.start, count: t.count, index, weight: Float64Array.from(t.weight.subarray(0, n)) };
}

/**
 * Fractional-factor area average when every source pixel is valid and the box lies inside the raster:
 * for each output row, its source rows are summed into one row buffer, then reduced along x.
 */
function resampleAllValid(src: RgbRaster, tx: Taps, ty: Taps, _y0: number, _y1: number, outWidth: number, outHeight: number): RgbRaster {
  const rgb = new Uint8Array(outWidth * outHeight * 3);
  const valid = new Uint8Array(outWidth * outHeight).fill(1);
  const sr = src.rgb;
  const { start: xs, count: xc, index: xi, weight: xw } = tx;
  const { start: ys, count: yc, index: yi, weight: yw } = ty;
  // Only the source columns some output cell uses.
  const c0 = xi[xs[0]];
  const c1 = xi[xs[outWidth - 1] + xc[outWidth - 1] - 1] + 1;
  const span = (c1 - c0) * 3;
  const row = new Float64Array(span);
  const colW = new Float64Array(outWidth);
  for (let j = 0; j < outWidth; j++) for (let t = xs[j]; t < xs[j] + xc[j]; t++) colW[j] += xw[t];
  if (dyadic(xw, xs[outWidth - 1] + xc[outWidth - 1]) && dyadic(yw, ys[outHeight - 1] + yc[outHeight - 1])) {
    return resampleDyadic(src, tx, ty, colW, c0, span, outWidth, outHeight, rgb, valid);
  }
  // WebAssembly when the source sits in a kernel buffer: the same sums in the same order (kernels.c). Its taps are
  // built only then: this runs for every window of a 10-cm image.
  const fast = inKernelBuffer(sr) && areaInsideRgb8(sr, src.width, c0, span, outWidth, outHeight, f64Taps(ty, 0, 1), f64Taps(tx, c0, 3), colW);
  if (fast) return { width: outWidth, height: outHeight, rgb: fast, valid, allValid: true };
  for (let i = 0; i < outHeight; i++) {
    row.fill(0);
    let wsum = 0;
    const e = ys[i] + yc[i];
    for (let t = ys[i]; t < e; t++) {
      const w = yw[t];
      wsum += w;
      const base = (yi[t] * src.width + c0) * 3;
      for (let k = 0; k < span; k++) row[k] += w * sr[base + k];
    }
    let o = i * outWidth * 3;
    for (let j = 0; j < outWidth; j++, o += 3) {
      let r = 0,
        g = 0,
        b = 0;
      const te = xs[j] + xc[j];
      for (let t = xs[j]; t < te; t++) {
        const p = (xi[t] - c0) * 3;
        const w = xw[t];
        r += w * row[p];
        g += w * row[p + 1];
        b += w * row[p + 2];
      }
      const inv = 1 / (wsum * colW[j]);
      rgb[o] = r * inv + 0.5;
      rgb[o + 1] = g * inv + 0.5;
      rgb[o + 2] = b * inv + 0.5;
    }
  }
  return { width: outWidth, height: outHeight, rgb, valid, allValid: true };
}
