/**
 * The `k` nearest other jobs of every job (by the smaller of the two travel directions), nearest
 * first, ties by index: the granular neighbourhood of the VRP search. Flat: job u's list is
 * `out[u * k .. u * k + k - 1]`.
 */
export function jobNeighbours(cost: ArrayLike<number>, n: number, jobNode: Int32Array, k: number): Int32Array {
  const nj = jobNode.length;
  const out = new Int32Array(nj * k);
  const d = new Float64Array(nj);
  const best: number[] = [];
  for (let u = 0; u < nj; u++) {
    for (let v = 0; v < nj; v++) d[v] = v === u ? Infinity : Math.min(cost[jobNode[u] * n + jobNode[v]], cost[jobNode[v] * n + jobNode[u]]);
    best.length = 0;
    for (let i = 0; i < nj; i++) {
      if (best.length === k && !(d[i] < d[best[k - 1]])) continue;
      let q = best.length < k ? best.length : k - 1;
      if (best.length < k) best.push(i);
      while (q > 0 && d[best[q - 1]] > d[i]) {
        best[q] = best[q - 1];
        q--;
      }
      best[q] = i;
    }
    for (let t = 0; t < k; t++) out[u * k + t] = best[t];
  }
  return out;
}
