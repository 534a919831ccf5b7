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

/**
 * Windows of `size`² pixels packed in shared memory for a models' thread, one array (one view of shared memory costs
 * a message less than three): `capacity` windows' RGB, then their validity, then 1 for each valid everywhere.
 */
export interface PackedWindows {
  size: number;
  capacity: number;
  bytes: Uint8Array;
}

/** Room for `capacity` windows of `size`² pixels, in shared memory. */
export function packedWindows(capacity: number, size: number): PackedWindows {
  return { size, capacity, bytes: new Uint8Array(new SharedArrayBuffer(capacity * (4 * size * size + 1))) };
}

/** Window k's RGB, validity and whether it is valid everywhere, in `p`. */
function windowAt(p: PackedWindows, k: number): { rgb: Uint8Array; valid: Uint8Array; allValidAt: number } {
  const px = p.size * p.size;
  return {
    rgb: p.bytes.subarray(k * 3 * px, (k + 1) * 3 * px),
    valid: p.bytes.subarray((3 * p.capacity + k) * px, (3 * p.capacity + k + 1) * px),
    allValidAt: 4 * p.capacity * px + k,
  };
}

/** Copies window raster `r` (size² pixels) into slot `k` of `p`. */
export function packWindow(p: PackedWindows, k: number, r: RgbRaster): void {
  const w = windowAt(p, k);
  w.rgb.set(r.rgb.subarray(0, w.rgb.length));
  p.bytes[w.allValidAt] = r.allValid === true ? 1 : 0;
  // A window valid everywhere is written without its mask.
  if (r.allValid !== true) w.valid.set(r.valid.subarray(0, w.valid.length));
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
  for (let k = 0; k < n; k++) {
    const w = windowAt(p, k);
    writeViews(w.rgb, w.valid, p.bytes[w.allValidAt] === 1, views, card, batch, k * views.length);
  }
}
