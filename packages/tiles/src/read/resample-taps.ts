/** Box-filter taps of one axis: per output cell, its first tap and tap count; per tap, a source cell and weight. */
export interface Taps {
  start: Int32Array;
  count: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

/** Box-filter taps mapping output cells [x0 + j·f, x0 + (j+1)·f) to source cells in [0, n). */
export function taps(x0: number, x1: number, out: number, n: number): Taps {
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
