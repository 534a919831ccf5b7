import { boxRgb8, dyadicEdgeRgb8, dyadicInsideRgb8 } from './wasm/kernels';

/** An RGB raster with its validity mask (1 valid, 0 invalid), pixel-interleaved. */
export interface RgbRaster {
  width: number;
  height: number;
  rgb: Uint8Array;
  valid: Uint8Array;
  /** True when every pixel is known valid (lets consumers skip per-pixel checks). */
  allValid?: boolean;
}

interface Taps {
  start: Int32Array;
  count: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

/** Box-filter taps mapping output cells [x0 + j·f, x0 + (j+1)·f) to source cells in [0, n). */
function taps(x0: number, x1: number, out: number, n: number): Taps {
  const f = (x1 - x0) / out;
  const maxTaps = Math.ceil(f) + 2;
  const start = new Int32Array(out);
  const count = new Int32Array(out);
  const index = new Int32Array(out * maxTaps);
  const weight = new Float32Array(out * maxTaps);
  let m = 0;
  for (let j = 0; j < out; j++) {
    const a = x0 + j * f;
    const b = a + f;
    start[j] = m;
    const kEnd = Math.ceil(b - 1e-9);
    for (let k = Math.floor(a); k < kEnd; k++) {
      if (k < 0 || k >= n) continue;
      const w = Math.min(b, k + 1) - Math.max(a, k);
      if (w <= 1e-9) continue;
      index[m] = k;
      weight[m] = w;
      m++;
    }
    count[j] = m - start[j];
  }
  return { start, count, index, weight };
}

/**
 * Area-averaged resampling of the source box [x0, x1) × [y0, y1) (fractional source pixels, may reach
 * outside the raster) onto `outWidth × outHeight` cells. Only valid source pixels contribute; a cell is
 * valid when valid pixels cover at least half of it.
 */
export function resampleArea(
  src: RgbRaster,
  box: readonly [number, number, number, number],
  outWidth: number,
  outHeight: number,
): RgbRaster {
  const [x0, y0, x1, y1] = box;
  const fx = (x1 - x0) / outWidth;
  const fy = (y1 - y0) / outHeight;
  if (Number.isInteger(fx) && fx === fy && Number.isInteger(x0) && Number.isInteger(y0) && x0 >= 0 && y0 >= 0 && x1 <= src.width && y1 <= src.height && fx > 1) {
    return boxDownsample(src, x0, y0, fx, outWidth, outHeight);
  }
  const tx = taps(x0, x1, outWidth, src.width);
  const ty = taps(y0, y1, outHeight, src.height);
  if (!Number.isInteger(fx) && src.allValid && x0 >= 0 && y0 >= 0 && x1 <= src.width && y1 <= src.height) return resampleAllValid(src, tx, ty, y0, y1, outWidth, outHeight);
  const rgb = new Uint8Array(outWidth * outHeight * 3);
  const valid = new Uint8Array(outWidth * outHeight);
  if (fx === 1 && fy === 1 && Number.isInteger(x0) && Number.isInteger(y0) && x0 >= 0 && y0 >= 0 && x1 <= src.width && y1 <= src.height) {
    for (let y = 0; y < outHeight; y++) {
      const s = (y0 + y) * src.width + x0;
      rgb.set(src.rgb.subarray(s * 3, (s + outWidth) * 3), y * outWidth * 3);
      valid.set(src.valid.subarray(s, s + outWidth), y * outWidth);
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
      let r = 0, g = 0, b = 0, v = 0;
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
      let r = 0, g = 0, b = 0, v = 0;
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

/** Integer-factor box average (the common case once the scan plan snaps the factor): k×k source pixels per cell. */
function boxDownsample(src: RgbRaster, x0: number, y0: number, k: number, outWidth: number, outHeight: number): RgbRaster {
  const valid = new Uint8Array(outWidth * outHeight);
  const sw = src.width;
  if (src.allValid) {
    // WebAssembly SIMD when the source sits in a kernel buffer (regions read from a file), same bytes.
    const fast = boxRgb8(src.rgb, sw, x0, y0, k, outWidth, outHeight);
    if (fast) return { width: outWidth, height: outHeight, rgb: fast, valid: valid.fill(1), allValid: true };
  }
  const rgb = new Uint8Array(outWidth * outHeight * 3);
  const sr = src.rgb;
  const sv = src.valid;
  if (src.allValid && k === 2) {
    // The common case (no mask, 2×): four pixels per cell, no validity checks.
    valid.fill(1);
    for (let i = 0; i < outHeight; i++) {
      let a = ((y0 + 2 * i) * sw + x0) * 3;
      let b = a + sw * 3;
      let o = i * outWidth * 3;
      for (let j = 0; j < outWidth; j++, a += 6, b += 6, o += 3) {
        rgb[o] = (sr[a] + sr[a + 3] + sr[b] + sr[b + 3] + 2) >> 2;
        rgb[o + 1] = (sr[a + 1] + sr[a + 4] + sr[b + 1] + sr[b + 4] + 2) >> 2;
        rgb[o + 2] = (sr[a + 2] + sr[a + 5] + sr[b + 2] + sr[b + 5] + 2) >> 2;
      }
    }
    return { width: outWidth, height: outHeight, rgb, valid, allValid: true };
  }
  if (src.allValid && k === 3) {
    // 5 cm imagery for a 15 cm model: nine pixels per cell, unrolled (four times faster than the loop below).
    valid.fill(1);
    const stride = sw * 3;
    for (let i = 0; i < outHeight; i++) {
      let a = ((y0 + 3 * i) * sw + x0) * 3;
      let o = i * outWidth * 3;
      for (let j = 0; j < outWidth; j++, a += 9, o += 3) {
        const b = a + stride;
        const c = b + stride;
        rgb[o] = (sr[a] + sr[a + 3] + sr[a + 6] + sr[b] + sr[b + 3] + sr[b + 6] + sr[c] + sr[c + 3] + sr[c + 6] + 4) / 9;
        rgb[o + 1] = (sr[a + 1] + sr[a + 4] + sr[a + 7] + sr[b + 1] + sr[b + 4] + sr[b + 7] + sr[c + 1] + sr[c + 4] + sr[c + 7] + 4) / 9;
        rgb[o + 2] = (sr[a + 2] + sr[a + 5] + sr[a + 8] + sr[b + 2] + sr[b + 5] + sr[b + 8] + sr[c + 2] + sr[c + 5] + sr[c + 8] + 4) / 9;
      }
    }
    return { width: outWidth, height: outHeight, rgb, valid, allValid: true };
  }
  if (src.allValid) {
    // No mask, any integer factor: sum k source rows into one row buffer, then k columns per cell.
    valid.fill(1);
    const span = outWidth * k * 3;
    const acc = new Uint32Array(span);
    const n = k * k;
    const h = n >> 1;
    for (let i = 0; i < outHeight; i++) {
      let a = ((y0 + i * k) * sw + x0) * 3;
      for (let t = 0; t < span; t++) acc[t] = sr[a + t];
      for (let dy = 1; dy < k; dy++) {
        a += sw * 3;
        for (let t = 0; t < span; t++) acc[t] += sr[a + t];
      }
      let o = i * outWidth * 3;
      let q = 0;
      for (let j = 0; j < outWidth; j++, o += 3) {
        let r = 0, g = 0, b = 0;
        for (let dx = 0; dx < k; dx++, q += 3) {
          r += acc[q];
          g += acc[q + 1];
          b += acc[q + 2];
        }
        rgb[o] = ((r + h) / n) | 0;
        rgb[o + 1] = ((g + h) / n) | 0;
        rgb[o + 2] = ((b + h) / n) | 0;
      }
    }
    return { width: outWidth, height: outHeight, rgb, valid, allValid: true };
  }
  const rs = new Uint32Array(outWidth * 4);
  const half = (k * k) / 2;
  for (let i = 0; i < outHeight; i++) {
    rs.fill(0);
    for (let dy = 0; dy < k; dy++) {
      const row = (y0 + i * k + dy) * sw + x0;
      for (let j = 0; j < outWidth; j++) {
        let p = row + j * k;
        const q = j * 4;
        for (let dx = 0; dx < k; dx++, p++) {
          if (!sv[p]) continue;
          rs[q] += sr[p * 3];
          rs[q + 1] += sr[p * 3 + 1];
          rs[q + 2] += sr[p * 3 + 2];
          rs[q + 3]++;
        }
      }
    }
    for (let j = 0; j < outWidth; j++) {
      const q = j * 4;
      const n = rs[q + 3];
      if (n < half || n === 0) continue;
      const o = i * outWidth + j;
      valid[o] = 1;
      rgb[o * 3] = (rs[q] + (n >> 1)) / n;
      rgb[o * 3 + 1] = (rs[q + 1] + (n >> 1)) / n;
      rgb[o * 3 + 2] = (rs[q + 2] + (n >> 1)) / n;
    }
  }
  return { width: outWidth, height: outHeight, rgb, valid, allValid: src.allValid };
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
      let r = 0, g = 0, b = 0;
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

/** Fixed-point scale of {@link resampleDyadic}: weights that are multiples of 1/DYADIC are exact integers there. */
const DYADIC = 16;

/** Whether the first `n` weights are all multiples of 1/DYADIC (1.5×: 1 and ½), so integer sums are exact. */
function dyadic(w: Float32Array, n: number): boolean {
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
 */
function resampleDyadic(
  src: RgbRaster, tx: Taps, ty: Taps, colW: Float64Array, c0: number, span: number,
  outWidth: number, outHeight: number, rgb: Uint8Array, valid: Uint8Array,
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
    const fast = dyadicInsideRgb8(sr, src.width, c0, span, outWidth, outHeight, { start: ys, count: yc, index: yi, weight: yW }, wsums, { start: xs, count: xc, index: xP, weight: xW }, colW);
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
      let r = 0, g = 0, b = 0;
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
function resampleMaskedDyadic(
  src: RgbRaster, tx: Taps, ty: Taps, y0: number, y1: number, fxy: number, outWidth: number, outHeight: number, rgb: Uint8Array, valid: Uint8Array,
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
      let r = 0, g = 0, b = 0, v = 0;
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
      let r = 0, g = 0, b = 0, v = 0;
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
 */
function edgeAllValidDyadic(
  src: RgbRaster, tx: Taps, ty: Taps, xW: Int32Array, fxy: number, outWidth: number, outHeight: number, rgb: Uint8Array, valid: Uint8Array,
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
      let r = 0, g = 0, b = 0;
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
