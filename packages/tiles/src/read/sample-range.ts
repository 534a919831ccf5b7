import type { GeoTIFF } from 'geotiff';
import type { IfdInfo } from './ifd-info';

/**
 * The ranges 16-bit imagery is stored in: 8-bit values in a 16-bit file (Metashape and others export 8-bit
 * photos so), 10-, 12- and 14-bit sensor data, and the full range.
 */
export const SAMPLE_RANGES = [255, 1023, 4095, 16383, 65535] as const;

/** The range 16-bit samples whose largest value is `max` were stored in: the smallest of {@link SAMPLE_RANGES} holding it. */
export const rangeHolding = (max: number): number => SAMPLE_RANGES.find((r) => max <= r) ?? 65535;

/**
 * The same for 32-bit float samples: reflectance or normalised colour in 0–1, 8-bit values (GDAL's `-ot Float32`
 * of an 8-bit image, read as they are, clamped), or 16-bit values.
 */
export const floatRangeHolding = (max: number): number => (max <= 1 ? 1 : max <= 255 ? 255 : 65535);

/** The largest colour sample of interleaved pixels of `samples` values, leaving out `noData` and pixels whose alpha is 0. */
export function largestColourSample(values: ArrayLike<number>, samples: number, colour: number, alpha: number, noData?: number): number {
  let max = 0;
  for (let p = 0; p + samples <= values.length; p += samples) {
    if (alpha >= 0 && values[p + alpha] === 0) continue;
    for (let c = 0; c < colour; c++) {
      const v = values[p + c];
      if (v > max && v !== noData && v < Infinity) max = v;
    }
  }
  return max;
}

/** Side of the windows {@link sampledRange} reads, in pixels of the level it reads. */
const WINDOW = 256;

/**
 * The range the colour samples of a 16-bit unsigned or 32-bit float image were stored in, from up to nine 256-px
 * windows spread over the image (its coarsest level when that is small enough to read whole). Read as the full
 * range, 12-bit data came out 16 times too dark and 8-bit values in a 16-bit file black (as did 0–1 floats, clamped
 * to 0–255): no candidate, every block "dark". Falls back to the usual range (0–65535; floats as 0–255) when the
 * windows cannot be read (the scan then reads the blocks itself, and says so if they are broken).
 */
export async function sampledRange(tiff: GeoTIFF, levels: ReadonlyArray<{ ifd: IfdInfo }>, noData?: number): Promise<number> {
  const float = levels[0].ifd.sampleFormat === 3;
  const full = float ? 255 : 65535;
  const main = levels[0].ifd;
  const colour = main.photometric === 2 || main.photometric === 6 ? 3 : 1;
  const coarsest = levels[levels.length - 1].ifd;
  try {
    const image = await tiff.getImage(coarsest.index);
    const whole = coarsest.width * coarsest.height <= 4 * WINDOW * WINDOW;
    let max = 0;
    for (const window of whole ? [[0, 0, coarsest.width, coarsest.height]] : spreadWindows(coarsest.width, coarsest.height)) {
      const values = (await image.readRasters({ window, interleave: true })) as unknown as ArrayLike<number>;
      max = Math.max(max, largestColourSample(values, main.samples, colour, main.alphaSample, noData));
      if (max > SAMPLE_RANGES[SAMPLE_RANGES.length - 2]) break;
    }
    if (!(max > 0)) return full;
    return float ? floatRangeHolding(max) : rangeHolding(max);
  } catch {
    return full;
  }
}

/** A 3 × 3 grid of windows of {@link WINDOW} pixels (fewer on a small image), centred in their ninths of the image. */
function spreadWindows(width: number, height: number): number[][] {
  const w = Math.min(WINDOW, width);
  const h = Math.min(WINDOW, height);
  const out: number[][] = [];
  for (const fy of [1 / 6, 1 / 2, 5 / 6]) {
    for (const fx of [1 / 6, 1 / 2, 5 / 6]) {
      const x0 = Math.max(0, Math.min(width - w, Math.round(fx * width - w / 2)));
      const y0 = Math.max(0, Math.min(height - h, Math.round(fy * height - h / 2)));
      out.push([x0, y0, x0 + w, y0 + h]);
    }
  }
  return out;
}
