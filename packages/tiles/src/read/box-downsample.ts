import type { RgbRaster } from './resample-area';
import { boxRgb8 } from './wasm/kernels';

/**
 * Integer-factor box average (the common case once the scan plan snaps the factor): k×k source pixels per cell.
 * long: one hot loop kept whole so V8 optimises one function; WebAssembly first, then k = 2 and 3 unrolled, then the general k×k sum, all-valid and masked side by side.
 */
export function boxDownsample(src: RgbRaster, x0: number, y0: number, k: number, outWidth: number, outHeight: number): RgbRaster {
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
        let r = 0,
          g = 0,
          b = 0;
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
