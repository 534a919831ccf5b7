import type { IfdInfo } from './ifd-info';

/** A decoded block converted to 8-bit RGB plus a validity mask (null when every pixel is valid). */
export interface RgbBlock {
  width: number;
  rows: number;
  rgb: Uint8Array;
  valid: Uint8Array | null;
  byteLength: number;
}

type Samples = Uint8Array | Uint16Array | Float32Array;

function view(info: IfdInfo, raw: Uint8Array): Samples {
  if (info.bitsPerSample === 8) return raw;
  const aligned = raw.byteOffset % 4 === 0 ? raw : raw.slice();
  if (info.bitsPerSample === 16) return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 1);
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 2);
}

/**
 * Converts decoded samples to 8-bit RGB + valid mask. `planes` holds one buffer for chunky blocks, or one
 * per sample for planar-separate blocks. 16-bit samples map 0–65535 → 0–255; float samples are clamped to 0–255.
 * A pixel is invalid when its alpha is 0 or when all its colour samples equal `noData`. With `into`, the pixels are
 * written into its arrays (`rgb` of `width × rows × 3`, `valid` of `width × rows`, present exactly when
 * {@link hasValidity}) rather than new ones: the strips of a band straight into the band.
 */
export function toRgbBlock(info: IfdInfo, planes: Uint8Array[], rows: number, noData?: number, into?: { rgb: Uint8Array; valid: Uint8Array | null }): RgbBlock {
  const w = info.blockWidth;
  const n = w * rows;
  const chunky = planes.length === 1;
  const spp = chunky ? (info.compression === 7 ? Math.min(info.samples, 4) : info.samples) : 1;
  const src = planes.map((p) => view(info, p));
  const colour = info.photometric === 2 || info.photometric === 6 ? 3 : 1;
  const invert = info.photometric === 0;
  const alpha = info.alphaSample;
  const bps = info.bitsPerSample;
  const to8 = bps === 8 ? (v: number) => v : bps === 16 ? (v: number) => ((v + 128) / 257) | 0 : (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
  let valid: Uint8Array | null = null;
  if (hasValidity(info, noData)) valid = into?.valid ? into.valid.fill(1) : new Uint8Array(n).fill(1);
  const at = (s: number, i: number): number => (chunky ? src[0][i * spp + s] : src[s][i]);
  if (decodedIsRgb(info, planes.length, noData)) {
    // Already 8-bit RGB: keep the decoded bytes as they are.
    const direct = (src[0] as Uint8Array).subarray(0, n * 3);
    if (into) into.rgb.set(direct);
    return { width: w, rows, rgb: into ? into.rgb : direct, valid, byteLength: direct.byteLength };
  }
  const rgb = into ? into.rgb : new Uint8Array(n * 3);
  if (chunky && bps === 8 && colour === 3 && noData === undefined) {
    // 8-bit RGB plus other samples (alpha, extra bands): the colour bytes, and the alpha byte's word on validity.
    rgbFromChunky8(src[0] as Uint8Array, spp, alpha, n, rgb, valid);
    return { width: w, rows, rgb, valid, byteLength: rgb.byteLength + (valid?.byteLength ?? 0) };
  }
  if (!chunky && bps === 8 && colour === 3 && noData === undefined) {
    rgbFromPlanes8(src as Uint8Array[], alpha, n, rgb, valid);
    return { width: w, rows, rgb, valid, byteLength: rgb.byteLength + (valid?.byteLength ?? 0) };
  }
  for (let i = 0; i < n; i++) {
    const o = i * 3;
    if (colour === 3) {
      const r = at(0, i);
      const g = at(1, i);
      const b = at(2, i);
      rgb[o] = to8(r);
      rgb[o + 1] = to8(g);
      rgb[o + 2] = to8(b);
      if (
        valid &&
        noData !== undefined &&
        (Number.isNaN(noData) ? Number.isNaN(r) && Number.isNaN(g) && Number.isNaN(b) : r === noData && g === noData && b === noData)
      )
        valid[i] = 0;
    } else {
      const v = at(0, i);
      const e = invert ? 255 - to8(v) : to8(v);
      rgb[o] = e;
      rgb[o + 1] = e;
      rgb[o + 2] = e;
      if (valid && noData !== undefined && (Number.isNaN(noData) ? Number.isNaN(v) : v === noData)) valid[i] = 0;
    }
    if (valid && alpha >= 0 && at(alpha, i) === 0) valid[i] = 0;
  }
  return { width: w, rows, rgb, valid, byteLength: rgb.byteLength + (valid?.byteLength ?? 0) };
}

/**
 * The general loop's result for 8-bit chunky pixels of `spp` samples, RGB first, with no nodata value: a pixel is
 * invalid only where its alpha sample (if any) is 0. One tight loop instead of a closure call a sample (4 s of a
 * 320-Mpx striped RGBA-like scan's 20 on its one scanning thread).
 */
function rgbFromChunky8(s: Uint8Array, spp: number, alpha: number, n: number, rgb: Uint8Array, valid: Uint8Array | null): void {
  for (let i = 0, o = 0, p = 0; i < n; i++, o += 3, p += spp) {
    rgb[o] = s[p];
    rgb[o + 1] = s[p + 1];
    rgb[o + 2] = s[p + 2];
  }
  if (valid && alpha >= 0) for (let i = 0, p = alpha; i < n; i++, p += spp) if (s[p] === 0) valid[i] = 0;
}

/**
 * The general loop's result for 8-bit separate planes, RGB the first three, with no nodata value (see
 * {@link rgbFromChunky8}): the general loop took ~23 ns a pixel, a quarter of the scanning thread's time on a striped
 * file in separate planes with alpha.
 */
function rgbFromPlanes8(planes: Uint8Array[], alpha: number, n: number, rgb: Uint8Array, valid: Uint8Array | null): void {
  const [r, g, b] = planes;
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    rgb[o] = r[i];
    rgb[o + 1] = g[i];
    rgb[o + 2] = b[i];
  }
  if (!valid || alpha < 0) return;
  const a = planes[alpha];
  for (let i = 0; i < n; i++) if (a[i] === 0) valid[i] = 0;
}

/** Whether blocks of this IFD carry a validity mask (alpha, or a nodata value). */
export function hasValidity(info: IfdInfo, noData?: number): boolean {
  return info.alphaSample >= 0 || noData !== undefined;
}

/**
 * Whether a block decoded into `planes` planes is its own RGB as it is (8-bit chunky RGB, nothing to mark invalid):
 * {@link toRgbBlock} then keeps the decoded bytes, else it converts them into new arrays or the ones it is given.
 */
export function decodedIsRgb(info: IfdInfo, planes: number, noData?: number): boolean {
  const spp = planes === 1 ? (info.compression === 7 ? Math.min(info.samples, 4) : info.samples) : 1;
  const colour = info.photometric === 2 || info.photometric === 6 ? 3 : 1;
  return planes === 1 && info.bitsPerSample === 8 && colour === 3 && spp === 3 && !hasValidity(info, noData);
}

/** Unpacks a transparency-mask block (1-bit MSB-first rows padded to bytes, or 8-bit) into 0/1 per pixel. */
export function toMaskBlock(info: IfdInfo, raw: Uint8Array, rows: number): Uint8Array {
  const w = info.blockWidth;
  const out = new Uint8Array(w * rows);
  if (info.bitsPerSample === 8) {
    for (let i = 0; i < out.length; i++) out[i] = raw[i] ? 1 : 0;
    return out;
  }
  const stride = Math.ceil(w / 8);
  for (let y = 0; y < rows; y++) {
    const r = y * stride;
    const o = y * w;
    for (let x = 0; x < w; x++) out[o + x] = (raw[r + (x >> 3)] >> (7 - (x & 7))) & 1;
  }
  return out;
}
