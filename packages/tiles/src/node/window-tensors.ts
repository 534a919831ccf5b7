// Verifier windows written as the model's input tensors, here or on a models' thread (onnx-thread-worker.mjs imports
// this module's bundle): the same function both ways, so the same floats.
import type { ModelCard } from '../model/model-card';
import { writeTileTensorFrom } from '../model/tile-tensor';
import type { RgbRaster } from '../read/resample-area';
import { applyView, type WindowView } from '../verify/views';

/** A model that scores packed windows, writing each once per view into its input tensor on its own thread. */
export interface WindowModel {
  inferWindows(windows: PackedWindows, n: number, views: readonly WindowView[]): Promise<Float32Array[]>;
}

/** Windows of `size`² pixels packed in shared memory for a models' thread: RGB, validity, and 1 where valid everywhere. */
export interface PackedWindows {
  size: number;
  rgb: Uint8Array;
  valid: Uint8Array;
  allValid: Uint8Array;
}

/** Room for `capacity` windows of `size`² pixels, in shared memory. */
export function packedWindows(capacity: number, size: number): PackedWindows {
  const px = size * size;
  const buffer = new SharedArrayBuffer(capacity * (4 * px + 1));
  return {
    size,
    rgb: new Uint8Array(buffer, 0, capacity * 3 * px),
    valid: new Uint8Array(buffer, capacity * 3 * px, capacity * px),
    allValid: new Uint8Array(buffer, capacity * 4 * px, capacity),
  };
}

/** Copies window raster `r` (size² pixels) into slot `k` of `p`. */
export function packWindow(p: PackedWindows, k: number, r: RgbRaster): void {
  const px = p.size * p.size;
  p.rgb.set(r.rgb.subarray(0, 3 * px), k * 3 * px);
  p.allValid[k] = r.allValid === true ? 1 : 0;
  // A window valid everywhere is written without its mask.
  if (!p.allValid[k]) p.valid.set(r.valid.subarray(0, px), k * px);
}

/** Writes one window into batch slots `slot`, `slot + 1`, … once per view, each transformed into its view. */
export function writeViews(
  rgb: Uint8Array,
  valid: Uint8Array,
  allValid: boolean,
  views: readonly WindowView[],
  card: Pick<ModelCard, 'input'>,
  batch: Float32Array,
  slot: number,
): void {
  const S = card.input.size,
    C = card.input.channels.length;
  views.forEach((view, j) => {
    // A window known valid everywhere skips the mask (the same values: its mask is all ones).
    writeTileTensorFrom(rgb, valid, S, 0, allValid, card, batch, slot + j);
    applyView(view, batch, (slot + j) * C * S * S, C, S, allValid ? undefined : valid);
  });
}

/** Writes the first `n` windows of `p` into `batch`, each once per view (window k's views from slot k × views). */
export function writePackedViews(p: PackedWindows, n: number, views: readonly WindowView[], card: Pick<ModelCard, 'input'>, batch: Float32Array): void {
  const px = p.size * p.size;
  for (let k = 0; k < n; k++) {
    writeViews(p.rgb.subarray(k * 3 * px, (k + 1) * 3 * px), p.valid.subarray(k * px, (k + 1) * px), p.allValid[k] === 1, views, card, batch, k * views.length);
  }
}
