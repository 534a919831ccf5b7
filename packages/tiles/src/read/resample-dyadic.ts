import type { RgbRaster } from './resample-area';
import type { Taps } from './resample-taps';
import { dyadicEdgeRgb8, dyadicInsideRgb8 } from './wasm/kernels';

/** Fixed-point scale of {@link resampleDyadic}: weights that are multiples of 1/DYADIC are exact integers there. */
export const DYADIC = 16;

/** Whether the first `n` weights are all multiples of 1/DYADIC (1.5×: 1 and ½), so integer sums are exact. */
export function dyadic(w: Float32Array, n: number): boolean {
  for (let t = 0; t < n; t++) {
    const v = w[t] * DYADIC;
    if (v !== Math.round(v)) return false;
  }
  return true;
}

/**
 * {@link resampleAllValid} for weights that are multiples of 1/16 (factors such as 1.5 or 2.5): the same sums
 * in integers. Every partial sum of the floating-point version is a multiple of 1/256 far below 2^53, so
 * it is exact there too and both give the same bytes; this one is several times faster.
 * long: one hot loop kept whole so V8 optimises one function; it sums each output row's source rows into one integer row buffer, then the columns.
 */
export function resampleDyadic(
  src: RgbRaster,
  tx: Taps,
  ty: Taps,
  colW: Float64Array,
  c0: number,
  span: number,
  outWidth: number,
  outHeight: number,
  rgb: Uint8Array,
  valid: Uint8Array,
): RgbRaster {
  const sr = src.rgb;
  const sw3 = src.width * 3;
  const { start: xs, count: xc, index: xi, weight: xw } = tx;
  const { start: ys, count: yc, index: yi, weight: yw } = ty;
  const row = new Int32Array(span);
  const nx = xs[outWidth - 1] + xc[outWidth - 1];
  const xW = new Int32Array(nx);
  const xP = new Int32Array(nx);
  for (let t = 0; t < nx; t++) {
    xW[t] = xw[t] * DYADIC;
    xP[t] = (xi[t] - c0) * 3;
  }
  {
    // WebAssembly when the source sits in a kernel buffer: the same sums and expression, in kernels.c.
    const yW = new Int32Array(ys[outHeight - 1] + yc[outHeight - 1]);
    for (let t = 0; t < yW.length; t++) yW[t] = (yw[t] * DYADIC) | 0;
    const wsums = new Float64Array(outHeight);
    for (let i = 0; i < outHeight; i++) {
      let w = 0;
      for (let t = ys[i]; t < ys[i] + yc[i]; t++) w += yw[t];
      wsums[i] = w;
    }
    const fast = dyadicInsideRgb8(
      sr,
      src.width,
      c0,
      span,
      outWidth,
      outHeight,
      { start: ys, count: yc, index: yi, weight: yW },
      wsums,
      { start: xs, count: xc, index: xP, weight: xW },
      colW,
    );
    if (fast) return { width: outWidth, height: outHeight, rgb: fast, valid, allValid: true };
  }
  const inv2 = 1 / (DYADIC * DYADIC);
  // 1 / (row weight × column weight) per column, recomputed only when the row weight changes.
  const inv = new Float64Array(outWidth);
  let invFor = -1;
  for (let i = 0; i < outHeight; i++) {
    let wsum = 0;
    const s = ys[i];
    const e = s + yc[i];
    for (let t = s; t < e; t++) wsum += yw[t];
    if (wsum !== invFor) {
      for (let j = 0; j < outWidth; j++) inv[j] = 1 / (wsum * colW[j]);
      invFor = wsum;
    }
    if (e - s === 2) {
      // Two source rows (1.5×): one pass.
      const w0 = (yw[s] * DYADIC) | 0;
      const w1 = (yw[s + 1] * DYADIC) | 0;
      const b0 = yi[s] * sw3 + c0 * 3;
      const b1 = yi[s + 1] * sw3 + c0 * 3;
      for (let k = 0; k < span; k++) row[k] = (w0 * sr[b0 + k] + w1 * sr[b1 + k]) | 0;
    } else {
      const w = (yw[s] * DYADIC) | 0;
      const base = yi[s] * sw3 + c0 * 3;
      for (let k = 0; k < span; k++) row[k] = w * sr[base + k];
      for (let t = s + 1; t < e; t++) {
        const w = (yw[t] * DYADIC) | 0;
        const base = yi[t] * sw3 + c0 * 3;
        for (let k = 0; k < span; k++) row[k] = (row[k] + w * sr[base + k]) | 0;
      }
    }
    let o = i * outWidth * 3;
    for (let j = 0; j < outWidth; j++, o += 3) {
      let r = 0,
        g = 0,
        b = 0;
      const ts = xs[j];
      const te = ts + xc[j];
      if (te - ts === 2) {
        const p0 = xP[ts];
        const p1 = xP[ts + 1];
        const w0 = xW[ts];
        const w1 = xW[ts + 1];
        r = (w0 * row[p0] + w1 * row[p1]) | 0;
        g = (w0 * row[p0 + 1] + w1 * row[p1 + 1]) | 0;
        b = (w0 * row[p0 + 2] + w1 * row[p1 + 2]) | 0;
      } else {
        for (let t = ts; t < te; t++) {
          const p = xP[t];
          const w = xW[t];
          r = (r + w * row[p]) | 0;
          g = (g + w * row[p + 1]) | 0;
          b = (b + w * row[p + 2]) | 0;
        }
      }
      const q = inv[j];
      rgb[o] = r * inv2 * q + 0.5;
      rgb[o + 1] = g * inv2 * q + 0.5;
      rgb[o + 2] = b * inv2 * q + 0.5;
    }
  }
  return { width: outWidth, height: outHeight, rgb, valid, allValid: true };
}

/**
 * The general (masked, or reaching past the raster) path of {@link resampleArea} for weights that are
 * multiples of 1/16, in integers: the floating-point sums there are exact, so the bytes are the same.
 */
export function resampleMaskedDyadic(
  src: RgbRaster,
  tx: Taps,
  ty: Taps,
  y0: number,
  y1: number,
  fxy: number,
  outWidth: number,
  outHeight: number,
  rgb: Uint8Array,
  valid: Uint8Array,
): RgbRaster {
  const { start: xs, count: xc, index: xi, weight: xw } = tx;
  const { start: ys, count: yc, index: yi, weight: yw } = ty;
  const rowLo = Math.max(0, Math.floor(y0));
  const rowsUsed = Math.max(0, Math.min(src.height, Math.ceil(y1)) - rowLo);
  const nx = xs[outWidth - 1] + xc[outWidth - 1];
  const xW = new Int32Array(nx);
  for (let t = 0; t < nx; t++) xW[t] = (xw[t] * DYADIC) | 0;
  const sr = src.rgb;
  const sv = src.valid;
  const all = src.allValid === true;
  if (all) return edgeAllValidDyadic(src, tx, ty, xW, fxy, outWidth, outHeight, rgb, valid);
  const h = new Int32Array(rowsUsed * outWidth * 4);
  for (let yy = 0; yy < rowsUsed; yy++) {
    const row = (rowLo + yy) * src.width;
    let q = yy * outWidth * 4;
    for (let j = 0; j < outWidth; j++, q += 4) {
      let r = 0,
        g = 0,
        b = 0,
        v = 0;
      const e = xs[j] + xc[j];
      for (let t = xs[j]; t < e; t++) {
        const p = row + xi[t];
        if (!all && !sv[p]) continue;
        const w = xW[t];
        r = (r + w * sr[p * 3]) | 0;
        g = (g + w * sr[p * 3 + 1]) | 0;
        b = (b + w * sr[p * 3 + 2]) | 0;
        v = (v + w) | 0;
      }
      h[q] = r;
      h[q + 1] = g;
      h[q + 2] = b;
      h[q + 3] = v;
    }
  }
  const half = 0.5 * fxy * DYADIC * DYADIC;
  for (let i = 0; i < outHeight; i++) {
    const s = ys[i];
    const e = s + yc[i];
    for (let j = 0; j < outWidth; j++) {
      let r = 0,
        g = 0,
        b = 0,
        v = 0;
      for (let t = s; t < e; t++) {
        const q = ((yi[t] - rowLo) * outWidth + j) * 4;
        const w = (yw[t] * DYADIC) | 0;
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

/**
 * {@link resampleMaskedDyadic} for a source valid everywhere (a window reaching past the raster): a cell's
 * valid weight is its row weight times its column weight, so the sums go rows first through one row buffer
 * (as in {@link resampleDyadic}), with the general path's rounding and half-covered rule.
 * long: one hot loop kept whole so V8 optimises one function; rows first into one integer row buffer, then columns with their valid weight.
 */
function edgeAllValidDyadic(
  src: RgbRaster,
  tx: Taps,
  ty: Taps,
  xW: Int32Array,
  fxy: number,
  outWidth: number,
  outHeight: number,
  rgb: Uint8Array,
  valid: Uint8Array,
): RgbRaster {
  const { start: xs, count: xc, index: xi } = tx;
  const { start: ys, count: yc, index: yi, weight: yw } = ty;
  const nx = xs[outWidth - 1] + xc[outWidth - 1];
  if (nx === 0) return { width: outWidth, height: outHeight, rgb, valid };
  const c0 = xi[0];
  const span = (xi[nx - 1] + 1 - c0) * 3;
  const xP = new Int32Array(nx);
  for (let t = 0; t < nx; t++) xP[t] = (xi[t] - c0) * 3;
  const colW = new Int32Array(outWidth);
  for (let j = 0; j < outWidth; j++) for (let t = xs[j]; t < xs[j] + xc[j]; t++) colW[j] += xW[t];
  const sr = src.rgb;
  const sw3 = src.width * 3;
  const half = 0.5 * fxy * DYADIC * DYADIC;
  {
    const yW = new Int32Array(ys[outHeight - 1] + yc[outHeight - 1]);
    for (let t = 0; t < yW.length; t++) yW[t] = (yw[t] * DYADIC) | 0;
    const taps = { start: ys, count: yc, index: yi, weight: yW };
    if (dyadicEdgeRgb8(sr, src.width, c0, span, outWidth, outHeight, half, taps, { start: xs, count: xc, index: xP, weight: xW }, colW, rgb, valid)) {
      return { width: outWidth, height: outHeight, rgb, valid };
    }
  }
  const row = new Int32Array(span);
  for (let i = 0; i < outHeight; i++) {
    const s = ys[i];
    const e = s + yc[i];
    if (s === e) continue;
    let wsum = 0;
    if (e - s === 2) {
      const w0 = (yw[s] * DYADIC) | 0;
      const w1 = (yw[s + 1] * DYADIC) | 0;
      wsum = w0 + w1;
      const b0 = yi[s] * sw3 + c0 * 3;
      const b1 = yi[s + 1] * sw3 + c0 * 3;
      for (let k = 0; k < span; k++) row[k] = (w0 * sr[b0 + k] + w1 * sr[b1 + k]) | 0;
    } else {
      const w = (yw[s] * DYADIC) | 0;
      wsum += w;
      const base = yi[s] * sw3 + c0 * 3;
      for (let k = 0; k < span; k++) row[k] = w * sr[base + k];
      for (let t = s + 1; t < e; t++) {
        const w = (yw[t] * DYADIC) | 0;
        wsum += w;
        const base = yi[t] * sw3 + c0 * 3;
        for (let k = 0; k < span; k++) row[k] = (row[k] + w * sr[base + k]) | 0;
      }
    }
    for (let j = 0; j < outWidth; j++) {
      const v = wsum * colW[j];
      if (!(v >= half && v > 0)) continue;
      let r = 0,
        g = 0,
        b = 0;
      const ts = xs[j];
      const te = ts + xc[j];
      if (te - ts === 2) {
        const p0 = xP[ts];
        const p1 = xP[ts + 1];
        const w0 = xW[ts];
        const w1 = xW[ts + 1];
        r = w0 * row[p0] + w1 * row[p1];
        g = w0 * row[p0 + 1] + w1 * row[p1 + 1];
        b = w0 * row[p0 + 2] + w1 * row[p1 + 2];
      } else {
        for (let t = ts; t < te; t++) {
          const p = xP[t];
          const w = xW[t];
          r += w * row[p];
          g += w * row[p + 1];
          b += w * row[p + 2];
        }
      }
      const p = i * outWidth + j;
      valid[p] = 1;
      rgb[p * 3] = Math.round(r / v);
      rgb[p * 3 + 1] = Math.round(g / v);
      rgb[p * 3 + 2] = Math.round(b / v);
    }
  }
  return { width: outWidth, height: outHeight, rgb, valid };
}
