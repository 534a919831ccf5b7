/**
 * The `k` nearest other nodes of every node, nearest first, from a dense n×n cost matrix
 * (row-major, `cost[i * n + j]`). Symmetric costs are assumed by the TSP solver; for an
 * asymmetric matrix the list uses `min(c(i,j), c(j,i))`.
 * @returns a flat array: neighbours of i are `out[i * k .. i * k + k - 1]`.
 */
export function neighbourLists(cost: ArrayLike<number>, n: number, k: number): Int32Array {
  const kk = Math.min(k, n - 1);
  const out = new Int32Array(n * kk);
  const bestD = new Float64Array(kk);
  const bestJ = new Int32Array(kk);
  for (let i = 0; i < n; i++) {
    let size = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const d = Math.min(cost[i * n + j], cost[j * n + i]);
      if (size === kk && d >= bestD[kk - 1]) continue;
      let p = size < kk ? size++ : kk - 1;
      while (p > 0 && bestD[p - 1] > d) {
        bestD[p] = bestD[p - 1];
        bestJ[p] = bestJ[p - 1];
        p--;
      }
      bestD[p] = d;
      bestJ[p] = j;
    }
    out.set(bestJ.subarray(0, kk), i * kk);
  }
  return out;
}
