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
 * per sample for planar-separate blocks. 16-bit samples map 0–`sampleMax` (65535 unless sampled lower) → 0–255;
 * float samples 0–`sampleMax` (1, 255 or 65535) too, clamped.
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
  const to8 = bps === 8 ? (v: number) => v : bps === 16 ? to8From16(info.sampleMax ?? 65535) : to8FromFloat(info.sampleMax ?? 255);
  let valid: Uint8Array | null = null;
  if (hasValidity(info, noData)) valid = into?.valid ? into.valid.fill(1) : new Uint8Array(n).fill(1);
  const at = (s: number, i: number): number => (chunky ? src[0][i * spp + s] : src[s][i]);
  if (decodedIsRgb(info, planes.length, noData)) {
    // Already 8-bit RGB: keep the decoded bytes as they are.
    const direct = (src[0] as Uint8Array).subarray(0, n * 3);
    // Decoded where it goes already (fillBand's strips): nothing to copy.
    if (into && !(direct.buffer === into.rgb.buffer && direct.byteOffset === into.rgb.byteOffset)) into.rgb.set(direct);
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

/** 16-bit samples stored in 0..`max` to 0..255, rounded (values above `max` saturate). */
function to8From16(max: number): (v: number) => number {
  if (max === 65535) return (v) => ((v + 128) / 257) | 0;
  const half = max >> 1;
  return (v) => (v >= max ? 255 : ((v * 255 + half) / max) | 0);
}

/** Float samples stored in 0..`max` (1, 255 or 65535) to 0..255, rounded and clamped (NaN as 0). */
function to8FromFloat(max: number): (v: number) => number {
  const k = 255 / max;
  return (v) => {
    const x = v * k;
    return x <= 0 || Number.isNaN(x) ? 0 : x >= 255 ? 255 : Math.round(x);
  };
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

/**
 * A transparency-mask block (1-bit MSB-first rows padded to bytes, or 8-bit) as packed bits, 1 valid: rows of
 * ceil(width / 8) bytes, most significant bit first; {@link ALL_VALID_MASK} when every pixel is valid (most blocks
 * of an orthophoto's mask: nothing to apply). One byte a pixel, a block cache of 32 MB held two readers' masks
 * (64 MB on a two-thread scan of a JPEG COG with an internal mask, outside the scan's memory plan).
 */
export function toMaskBlock(info: IfdInfo, raw: Uint8Array, rows: number): Uint8Array {
  const w = info.blockWidth;
  const stride = Math.ceil(w / 8);
  let bits: Uint8Array;
  if (info.bitsPerSample === 8) {
    bits = new Uint8Array(stride * rows);
    for (let y = 0; y < rows; y++) for (let x = 0; x < w; x++) if (raw[y * w + x]) bits[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
  } else bits = raw.slice(0, stride * rows);
  return allBitsSet(bits, w, rows, stride) ? ALL_VALID_MASK : bits;
}

/**
 * The mask block {@link toMaskBlock} gives when every pixel is valid: told by identity, never read. 64 bytes, so a
 * block cache counts it and stays bounded (a 40 000-row striped mask is 40 000 blocks).
 */
export const ALL_VALID_MASK = new Uint8Array(64);

/** Whether the first `w` bits of every row are set (the row's padding bits aside). */
function allBitsSet(bits: Uint8Array, w: number, rows: number, stride: number): boolean {
  const full = w >> 3;
  const lastMask = w & 7 ? (0xff00 >> (w & 7)) & 0xff : 0;
  for (let y = 0; y < rows; y++) {
    const r = y * stride;
    for (let i = 0; i < full; i++) if (bits[r + i] !== 0xff) return false;
    if (lastMask && (bits[r + full] & lastMask) !== lastMask) return false;
  }
  return true;
}
