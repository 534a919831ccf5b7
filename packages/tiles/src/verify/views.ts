/**
 * Test-time views of a verifier window: the verifier scores each window as read and as a few transformed copies,
 * and the card's `verifier.views.combine` turns those scores into the window's one score. A texture that fools the
 * verifier in one view only (a nearest-neighbour warp's seams vanish under a mild low-pass; JPEG blocks do not) is
 * ruled out by `min`, while a plot, which shows in every view, keeps its score.
 */

/** `as_read`: the window itself; `low_pass`: [1 4 1]/6 along rows and columns; `flip_x` / `flip_y`: mirrored. */
export type WindowView = 'as_read' | 'low_pass' | 'flip_x' | 'flip_y';
export const WINDOW_VIEWS = ['as_read', 'low_pass', 'flip_x', 'flip_y'] as const;
/** `min`: the lowest view's probability; `mean_logit`: the probability of the views' mean logit. */
export type ViewCombine = 'min' | 'mean_logit';

export interface VerifierViews {
  views: readonly WindowView[];
  combine: ViewCombine;
}

/**
 * Transforms one window already written into `out` (planar [channels, size, size] at `offset`, normalised so 0 is
 * the mean an invalid pixel gets) into `view`, in place. The low-pass averages valid pixels only and leaves
 * invalid ones at 0, so no-data does not bleed into the window; at the edges and beside no-data the weights
 * of the pixels present are renormalised.
 */
export function applyView(view: WindowView, out: Float32Array, offset: number, channels: number, size: number, valid?: Uint8Array): void {
  if (view === 'as_read') return;
  const plane = size * size;
  for (let c = 0; c < channels; c++) {
    const p = out.subarray(offset + c * plane, offset + (c + 1) * plane);
    if (view === 'flip_x') for (let y = 0; y < size; y++) p.subarray(y * size, (y + 1) * size).reverse();
    else if (view === 'flip_y') flipRows(p, size);
    else lowPass(p, size, valid);
  }
}

function flipRows(p: Float32Array, size: number): void {
  const row = new Float32Array(size);
  for (let y = 0; y < size >> 1; y++) {
    const a = y * size,
      b = (size - 1 - y) * size;
    row.set(p.subarray(a, a + size));
    p.copyWithin(a, b, b + size);
    p.set(row, b);
  }
}

/** Separable [1 4 1]/6 over valid pixels (weights renormalised where a neighbour is invalid or off the edge). */
function lowPass(p: Float32Array, size: number, valid?: Uint8Array): void {
  const rows = new Float32Array(p.length);
  lowPassAlong(p, rows, size, 1, size, valid);
  lowPassAlong(rows, p, size, size, 1, valid);
}

/**
 * One [1 4 1] pass: along rows (`step` 1, lines `size` apart) or columns (`step` size, lines 1 apart). Plain loops
 * with the sum in the same order as a neighbour test a pixel (the same floats), since it runs for every window the
 * views score.
 */
function lowPassAlong(src: Float32Array, dst: Float32Array, size: number, step: number, lineStep: number, valid?: Uint8Array): void {
  for (let line = 0; line < size; line++) {
    const base = line * lineStep;
    for (let t = 0; t < size; t++) {
      const i = base + t * step;
      if (valid && valid[i] === 0) {
        dst[i] = 0;
        continue;
      }
      let sum = 4 * src[i],
        w = 4;
      if (t > 0 && (!valid || valid[i - step] !== 0)) (sum += src[i - step]), (w += 1);
      if (t < size - 1 && (!valid || valid[i + step] !== 0)) (sum += src[i + step]), (w += 1);
      dst[i] = sum / w;
    }
  }
}

/** One score from the views' probabilities of the same window. */
export function combineViews(probs: ArrayLike<number>, combine: ViewCombine): number {
  if (combine === 'min') return Math.min(...Array.from(probs));
  const eps = 1e-7;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, probs[i]));
    sum += Math.log(q / (1 - q));
  }
  return 1 / (1 + Math.exp(-sum / probs.length));
}
