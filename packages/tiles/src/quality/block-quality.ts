/**
 * Image quality of one block of an orthophoto, measured on the working raster (the model's GSD): what an
 * operator would see as blurred, over-exposed, too dark, or hazy — places where no plot could have been seen.
 */
export interface BlockQuality {
  /** Share of the block's pixels that are nodata. */
  nodataShare: number;
  /** Mean luminance (0–255) of the valid pixels. */
  meanLuma: number;
  /** Standard deviation of luminance: contrast. */
  stdLuma: number;
  /** Share of valid pixels with a channel at 250 or more (blown highlights). */
  clippedShare: number;
  /** Share of valid pixels with luminance under 25 (shadow, under-exposure). */
  darkShare: number;
  /** 5th percentile of the dark channel (min of R, G, B): high when haze lifts every pixel. */
  darkChannelP5: number;
  /**
   * Sharpness: variance of the 4-neighbour Laplacian of luminance over the variance of luminance. Texture seen
   * sharp keeps much of its energy at the finest scale; blur removes it whatever the contrast.
   */
  sharpness: number;
  /**
   * Fine-scale detail kept: Laplacian energy at full resolution over Laplacian energy of the 2×-averaged block.
   * Content-neutral where `sharpness` is not (a smooth field seen sharp keeps its scale ratio, blur loses it).
   */
  scaleRatio: number;
}

/** Thresholds a block is judged by; the season policy's `imagery_quality`, with these defaults. */
export interface QualityThresholds {
  /** A block with texture (stdLuma ≥ minTextureStd) is blurred when its sharpness is below this… */
  minSharpness: number;
  /** …and its scale ratio below this too (both must say so: either alone mistakes smooth sharp fields for blur). */
  maxBlurScaleRatio: number;
  /** Sharpness is judged only where there is texture to judge: std of luminance at least this. */
  minTextureStd: number;
  /** Over this share of clipped pixels a block is over-exposed. */
  maxClippedShare: number;
  /** Over this share of dark pixels a block is too dark (shadow, under-exposure). */
  maxDarkShare: number;
  /** Hazy: dark-channel 5th percentile over this and contrast under maxHazeStd. */
  minHazeDarkChannel: number;
  maxHazeStd: number;
}

/**
 * Defaults, chosen on the synthetic demo orthophotos (192-px blocks at 0.15 m), each block measured as it is and
 * degraded. Blur: of 263 textured blocks, sharpness reaches down to 0.07 but the scale ratio stays ≥ 0.285; under
 * a 3-px box blur the median block has sharpness 0.10 and scale ratio 0.21, under a 5-px box 0.03 and 0.19 — so
 * about half of 3-px blurred blocks and more of 5-px ones are caught, and no sharp demo block is. Exposure: brightened
 * 2.5× blocks clip ≥ 41 % of pixels, sharp ones none. Haze (0.35·I + 0.65·210): dark channel's 5th percentile
 * ≥ 149 with contrast ≤ 10, sharp blocks ≤ 59. Synthetic imagery only: a season should check them against its own
 * quality map (docs/imagery-quality.md).
 */
export const DEFAULT_QUALITY: QualityThresholds = Object.freeze({
  minSharpness: 0.3,
  maxBlurScaleRatio: 0.25,
  minTextureStd: 6,
  maxClippedShare: 0.3,
  maxDarkShare: 0.5,
  minHazeDarkChannel: 110,
  maxHazeStd: 12,
});

/** Why a block is poor; empty when it is fine. */
export type QualityReason = 'blurred' | 'overexposed' | 'dark' | 'hazy';

/** Luminance of the block being measured and of its 2×-averaged copy, reused: new ones a block fed the collector (250 KB a 224² block). */
let lumaScratch = new Float32Array(0);
let halfScratch = new Float32Array(0);

/**
 * Measures the block [x0, x1) × [y0, y1) of an RGB raster (`width` pixels a row) with its validity mask.
 * Its loops run a row a call (lumaRow, laplacianRow): functions called often are optimised whole, where one loop
 * over the block ran unoptimised until replaced on the stack, and fell back each time a later line had not run yet.
 * @example blockQuality(win.rgb, win.valid, win.width, 0, 0, 64, 64).sharpness
 */
export function blockQuality(rgb: Uint8Array, valid: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number): BlockQuality {
  const w = x1 - x0;
  const h = y1 - y0;
  if (lumaScratch.length < w * h) lumaScratch = new Float32Array(w * h);
  const luma = lumaScratch;
  const hist = new Uint32Array(256);
  // Valid pixels, sum and sum of squares of luminance, clipped and dark pixels, added row after row.
  const sums = new Float64Array(5);
  for (let y = 0; y < h; y++) lumaRow(rgb, valid, (y0 + y) * width + x0, w, luma, y * w, hist, sums);
  const [n, sum, sum2, clipped, dark] = sums;
  const total = w * h;
  if (n === 0) return { nodataShare: 1, meanLuma: 0, stdLuma: 0, clippedShare: 0, darkShare: 0, darkChannelP5: 0, sharpness: 0, scaleRatio: 0 };
  const mean = sum / n;
  const variance = Math.max(0, sum2 / n - mean * mean);
  const fine = laplacianEnergy(luma, w, h);
  const coarse = laplacianEnergy(halve(luma, w, h), w >> 1, h >> 1);
  let acc = 0,
    p5 = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v];
    if (acc >= 0.05 * n) {
      p5 = v;
      break;
    }
  }
  return {
    nodataShare: 1 - n / total,
    meanLuma: mean,
    stdLuma: Math.sqrt(variance),
    clippedShare: clipped / n,
    darkShare: dark / n,
    darkChannelP5: p5,
    sharpness: variance > 0 ? fine / variance : 0,
    scaleRatio: coarse > 0 ? fine / coarse : 0,
  };
}

/**
 * One row of a block: the luminance of `w` pixels from pixel `p0` into `luma` from `i0` (NaN where not valid), their
 * dark channel into `hist`, and their counts and sums added to `sums` (valid, Σl, Σl², clipped, dark) in pixel order.
 */
function lumaRow(rgb: Uint8Array, valid: Uint8Array, p0: number, w: number, luma: Float32Array, i0: number, hist: Uint32Array, sums: Float64Array): void {
  let n = sums[0],
    sum = sums[1],
    sum2 = sums[2],
    clipped = sums[3],
    dark = sums[4];
  for (let x = 0; x < w; x++) {
    const p = p0 + x;
    if (!valid[p]) {
      luma[i0 + x] = NaN;
      continue;
    }
    const r = rgb[3 * p],
      g = rgb[3 * p + 1],
      b = rgb[3 * p + 2];
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    luma[i0 + x] = l;
    n++;
    sum += l;
    sum2 += l * l;
    if (r >= 250 || g >= 250 || b >= 250) clipped++;
    if (l < 25) dark++;
    hist[r < g ? (r < b ? r : b) : g < b ? g : b]++;
  }
  sums[0] = n;
  sums[1] = sum;
  sums[2] = sum2;
  sums[3] = clipped;
  sums[4] = dark;
}

/** Mean squared 4-neighbour Laplacian over the pixels whose neighbours are all valid (NaN marks nodata). */
function laplacianEnergy(l: Float32Array, w: number, h: number): number {
  const sums = new Float64Array(2);
  for (let y = 1; y < h - 1; y++) laplacianRow(l, w, y * w, sums);
  return sums[0] ? sums[1] / sums[0] : 0;
}

/** Adds the squared Laplacians of row `i0 / w` (its inner pixels) to `sums` (count, sum), in pixel order. */
function laplacianRow(l: Float32Array, w: number, i0: number, sums: Float64Array): void {
  let n = sums[0],
    sum = sums[1];
  for (let i = i0 + 1; i < i0 + w - 1; i++) {
    const v = l[i - w] + l[i + w] + l[i - 1] + l[i + 1] - 4 * l[i];
    if (Number.isNaN(v)) continue;
    n++;
    sum += v * v;
  }
  sums[0] = n;
  sums[1] = sum;
}

/** The block averaged 2×2 (NaN where any of the four is nodata), in a reused array. */
function halve(l: Float32Array, w: number, h: number): Float32Array {
  const hw = w >> 1,
    hh = h >> 1;
  if (halfScratch.length < hw * hh) halfScratch = new Float32Array(hw * hh);
  const o = halfScratch;
  for (let y = 0; y < hh; y++) {
    const a = 2 * y * w;
    for (let x = 0; x < hw; x++) o[y * hw + x] = (l[a + 2 * x] + l[a + 2 * x + 1] + l[a + w + 2 * x] + l[a + w + 2 * x + 1]) / 4;
  }
  return o;
}

/** The reasons a measured block is poor under `t` (none: the block counts as coverage). */
export function judgeBlock(q: BlockQuality, t: QualityThresholds = DEFAULT_QUALITY): QualityReason[] {
  if (q.nodataShare >= 1) return [];
  const why: QualityReason[] = [];
  if (q.clippedShare > t.maxClippedShare) why.push('overexposed');
  if (q.darkShare > t.maxDarkShare) why.push('dark');
  // A block with no texture at all (std under 1.5: a roof, still water, a flat-filled edge) cannot be judged hazy.
  if (q.darkChannelP5 > t.minHazeDarkChannel && q.stdLuma < t.maxHazeStd && q.stdLuma >= 1.5) why.push('hazy');
  if (q.stdLuma >= t.minTextureStd && q.sharpness < t.minSharpness && q.scaleRatio < t.maxBlurScaleRatio && !why.includes('overexposed')) why.push('blurred');
  return why;
}
