// Hot loops of the block reader, compiled to WebAssembly (SIMD) by packages/tiles/scripts/build-kernels.sh.
// Each must give exactly the bytes of its JavaScript twin in ../codecs.ts or ../resample-area.ts.
#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// TIFF Predictor 2 on 8-bit RGB rows, in place: x[i] += x[i - 3] within each row.
EXPORT(undo_pred_rgb8)
void undo_pred_rgb8(uint8_t *p, int rowBytes, int rows) {
  const v128_t zero = wasm_i8x16_splat(0);
  for (int y = 0; y < rows; y++) {
    uint8_t *r = p + (long)y * rowBytes;
    int i = 0;
    v128_t prev = zero; // the row's first pixel has nothing before it
    for (; i + 16 <= rowBytes; i += 16) {
      v128_t v = wasm_v128_load(r + i);
      // Prefix sums at stride 3 inside the vector: add copies shifted by 3, 6 and 12 bytes.
      v = wasm_i8x16_add(v, wasm_i8x16_shuffle(zero, v, 0, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28));
      v = wasm_i8x16_add(v, wasm_i8x16_shuffle(zero, v, 0, 0, 0, 0, 0, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25));
      v = wasm_i8x16_add(v, wasm_i8x16_shuffle(zero, v, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 17, 18, 19));
      // Plus the last pixel before the vector: byte j takes x[i − 3 + j mod 3], the previous vector's byte 13 + j mod 3.
      v = wasm_i8x16_add(v, wasm_i8x16_shuffle(prev, prev, 13, 14, 15, 13, 14, 15, 13, 14, 15, 13, 14, 15, 13, 14, 15, 13));
      wasm_v128_store(r + i, v);
      prev = v;
    }
    for (; i < rowBytes; i++) if (i >= 3) r[i] = (uint8_t)(r[i] + r[i - 3]);
  }
}

// k×k box average (k = 2 or 3) of 8-bit RGB, every pixel valid: out = (sum + k²/2) / k², truncated.
// src points at the box's top-left pixel; srcStride is the source row length in bytes.
EXPORT(box_rgb8)
void box_rgb8(const uint8_t *src, int srcStride, int k, uint8_t *out, int outW, int outH, uint16_t *acc) {
  const int span = outW * k * 3;
  const int n = k * k;
  const int h = n >> 1;
  for (int i = 0; i < outH; i++) {
    const uint8_t *a = src + (long)i * k * srcStride;
    int t = 0;
    for (; t + 16 <= span; t += 16) {
      v128_t s0 = wasm_v128_load(a + t);
      v128_t lo = wasm_u16x8_extend_low_u8x16(s0);
      v128_t hi = wasm_u16x8_extend_high_u8x16(s0);
      for (int dy = 1; dy < k; dy++) {
        v128_t s = wasm_v128_load(a + (long)dy * srcStride + t);
        lo = wasm_i16x8_add(lo, wasm_u16x8_extend_low_u8x16(s));
        hi = wasm_i16x8_add(hi, wasm_u16x8_extend_high_u8x16(s));
      }
      wasm_v128_store(acc + t, lo);
      wasm_v128_store(acc + t + 8, hi);
    }
    for (; t < span; t++) {
      int s = 0;
      for (int dy = 0; dy < k; dy++) s += a[(long)dy * srcStride + t];
      acc[t] = (uint16_t)s;
    }
    uint8_t *o = out + (long)i * outW * 3;
    if (k == 3) {
      for (int j = 0; j < outW; j++) {
        const uint16_t *q = acc + j * 9;
        o[j * 3] = (uint8_t)((q[0] + q[3] + q[6] + 4) / 9);
        o[j * 3 + 1] = (uint8_t)((q[1] + q[4] + q[7] + 4) / 9);
        o[j * 3 + 2] = (uint8_t)((q[2] + q[5] + q[8] + 4) / 9);
      }
    } else {
      for (int j = 0; j < outW; j++) {
        const uint16_t *q = acc + j * 3 * k;
        for (int c = 0; c < 3; c++) {
          int s = 0;
          for (int dx = 0; dx < k; dx++) s += q[dx * 3 + c];
          o[j * 3 + c] = (uint8_t)((s + h) / n);
        }
      }
    }
  }
}

// Vertical pass shared by the fractional resamplers: row[k] = sum of w[t] * src[row t][c0 + k] for the taps
// [s, e) of one output row (weights in 1/16ths, so all sums are exact integers).
static void sum_rows(const uint8_t *src, int srcStride, int c0b, int span, int s, int e, const int32_t *yi,
                     const int32_t *yw, int32_t *row) {
  const uint8_t *a = src + (long)yi[s] * srcStride + c0b;
  const int w0 = yw[s];
  int k = 0;
  if (e - s == 2) {
    const uint8_t *b = src + (long)yi[s + 1] * srcStride + c0b;
    const int w1 = yw[s + 1];
    for (; k < span; k++) row[k] = w0 * a[k] + w1 * b[k];
    return;
  }
  for (; k < span; k++) row[k] = w0 * a[k];
  for (int t = s + 1; t < e; t++) {
    const uint8_t *b = src + (long)yi[t] * srcStride + c0b;
    const int w = yw[t];
    for (k = 0; k < span; k++) row[k] += w * b[k];
  }
}

// resampleDyadic (every pixel valid, box inside the raster): out = trunc(sum × 2⁻⁸ × inv + 0.5), with
// inv = 1 / (row weight × column weight) as JavaScript computes it (wsum per row, colW per column).
EXPORT(dyadic_inside_rgb8)
void dyadic_inside_rgb8(const uint8_t *src, int srcStride, int c0b, int span, int outW, int outH,
                        const int32_t *ys, const int32_t *yc, const int32_t *yi, const int32_t *yw, const double *wsum,
                        const int32_t *xs, const int32_t *xc, const int32_t *xp, const int32_t *xw, const double *colW,
                        int32_t *row, double *inv, uint8_t *out) {
  double invFor = -1;
  for (int i = 0; i < outH; i++) {
    if (wsum[i] != invFor) {
      for (int j = 0; j < outW; j++) inv[j] = 1.0 / (wsum[i] * colW[j]);
      invFor = wsum[i];
    }
    sum_rows(src, srcStride, c0b, span, ys[i], ys[i] + yc[i], yi, yw, row);
    uint8_t *o = out + (long)i * outW * 3;
    for (int j = 0; j < outW; j++, o += 3) {
      int r = 0, g = 0, b = 0;
      const int te = xs[j] + xc[j];
      for (int t = xs[j]; t < te; t++) {
        const int p = xp[t];
        const int w = xw[t];
        r += w * row[p];
        g += w * row[p + 1];
        b += w * row[p + 2];
      }
      const double q = inv[j];
      o[0] = (uint8_t)(int)((double)r * (1.0 / 256) * q + 0.5);
      o[1] = (uint8_t)(int)((double)g * (1.0 / 256) * q + 0.5);
      o[2] = (uint8_t)(int)((double)b * (1.0 / 256) * q + 0.5);
    }
  }
}

// edgeAllValidDyadic (every pixel valid, box reaching past the raster): a cell is valid when its weight
// v = row weight × column weight (in 1/256ths) is at least `half`; its value is round(sum / v), halves up.
EXPORT(dyadic_edge_rgb8)
void dyadic_edge_rgb8(const uint8_t *src, int srcStride, int c0b, int span, int outW, int outH, double half,
                      const int32_t *ys, const int32_t *yc, const int32_t *yi, const int32_t *yw,
                      const int32_t *xs, const int32_t *xc, const int32_t *xp, const int32_t *xw, const int32_t *colW,
                      int32_t *row, uint8_t *out, uint8_t *valid) {
  for (int i = 0; i < outH; i++) {
    const int s = ys[i], e = s + yc[i];
    if (s == e) continue;
    int wsum = 0;
    for (int t = s; t < e; t++) wsum += yw[t];
    sum_rows(src, srcStride, c0b, span, s, e, yi, yw, row);
    for (int j = 0; j < outW; j++) {
      const double v = (double)wsum * colW[j];
      if (!(v >= half && v > 0)) continue;
      double r = 0, g = 0, b = 0;
      const int te = xs[j] + xc[j];
      for (int t = xs[j]; t < te; t++) {
        const int p = xp[t];
        const int w = xw[t];
        r += (double)(w * row[p]);
        g += (double)(w * row[p + 1]);
        b += (double)(w * row[p + 2]);
      }
      const long c = (long)i * outW + j;
      valid[c] = 1;
      out[c * 3] = (uint8_t)(int)__builtin_floor(r / v + 0.5);
      out[c * 3 + 1] = (uint8_t)(int)__builtin_floor(g / v + 0.5);
      out[c * 3 + 2] = (uint8_t)(int)__builtin_floor(b / v + 0.5);
    }
  }
}

// resampleAllValid (every pixel valid, box inside the raster, any weights): the same double-precision sums in
// the same order as the JavaScript (wasm has no fused multiply-add, so each product and sum rounds as there),
// out = ToUint8(sum × 1/(wsum × colW) + 0.5). Weights are the taps' float32 values widened to double.
EXPORT(area_inside_rgb8)
void area_inside_rgb8(const uint8_t *src, int srcStride, int c0b, int span, int outW, int outH,
                      const int32_t *ys, const int32_t *yc, const int32_t *yi, const double *yw,
                      const int32_t *xs, const int32_t *xc, const int32_t *xp, const double *xw, const double *colW,
                      double *row, uint8_t *out) {
  for (int i = 0; i < outH; i++) {
    for (int k = 0; k < span; k++) row[k] = 0;
    double wsum = 0;
    const int e = ys[i] + yc[i];
    for (int t = ys[i]; t < e; t++) {
      const double w = yw[t];
      wsum += w;
      const uint8_t *a = src + (long)yi[t] * srcStride + c0b;
      for (int k = 0; k < span; k++) row[k] += w * (double)a[k];
    }
    uint8_t *o = out + (long)i * outW * 3;
    for (int j = 0; j < outW; j++, o += 3) {
      double r = 0, g = 0, b = 0;
      const int te = xs[j] + xc[j];
      for (int t = xs[j]; t < te; t++) {
        const int p = xp[t];
        const double w = xw[t];
        r += w * row[p];
        g += w * row[p + 1];
        b += w * row[p + 2];
      }
      const double inv = 1 / (wsum * colW[j]);
      const double v[3] = {r * inv + 0.5, g * inv + 0.5, b * inv + 0.5};
      for (int c = 0; c < 3; c++) {
        // As a Uint8Array store converts: truncated toward zero, modulo 256; NaN and infinities give 0.
        const double x = v[c];
        o[c] = (x == x && x < 2147483648.0 && x > -2147483649.0) ? (uint8_t)((int)x & 255) : 0;
      }
    }
  }
}
