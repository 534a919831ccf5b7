import { createRng } from '../random';
import { ArrayTour } from './array-tour';
import { greedyTour } from './greedy-tour';
import { neighbourLists } from './neighbour-lists';

/** Options of {@link solveTsp}. */
export interface TspOptions {
  /** Seed of the pseudo-random kicks; same seed and iteration limit → same tour. Default 1. */
  seed?: number;
  /** Wall-clock limit in milliseconds, counted from the call (machine-dependent result). Default 1000. */
  timeLimitMs?: number;
  /** Maximum number of perturbation (kick) iterations; use this for deterministic runs. */
  maxIterations?: number;
  /** Neighbour-list size. Default 16. */
  neighbours?: number;
  /** Starting tour (a permutation of 0..n-1); default greedy-edge. */
  initial?: number[];
}

/** Result of {@link solveTsp}. */
export interface TspResult {
  /** Permutation of 0..n-1 starting at city 0. */
  tour: number[];
  /** Sum of the cost of the n edges of the closed tour. */
  cost: number;
  iterations: number;
}

const EPS = 1e-9;

/**
 * Solves a symmetric travelling-salesman problem on a dense cost matrix (`cost[i * n + j]`) by
 * iterated local search: greedy-edge start, then 2-opt and Or-opt (segments of 1–3 cities, both
 * orientations) over neighbour lists with don't-look bits, and localised double-bridge kicks
 * (two adjacent short segments swapped) accepted when not worse.
 * @example const { tour, cost } = solveTsp(matrix, n, { maxIterations: 1000, seed: 1 });
 */
export function solveTsp(cost: ArrayLike<number>, n: number, options: TspOptions = {}): TspResult {
  if (n <= 3) {
    const tour = Array.from({ length: n }, (_, i) => i);
    return { tour, cost: tourCost(cost, n, tour), iterations: 0 };
  }
  const t0 = Date.now();
  const k = Math.min(options.neighbours ?? 16, n - 1);
  const neigh = neighbourLists(cost, n, k);
  const rng = createRng(options.seed ?? 1);
  const timeLimit = options.timeLimitMs ?? 1000;
  const maxIter = options.maxIterations ?? Infinity;

  const D = cost;
  const cur = new ArrayTour(options.initial ?? greedyTour(cost, n, neigh, k));
  const queue = new Int32Array(n);
  const inQ = new Uint8Array(n);
  let qHead = 0;
  let qLen = 0;
  const push = (c: number): void => {
    if (inQ[c]) return;
    inQ[c] = 1;
    queue[(qHead + qLen) % n] = c;
    qLen++;
  };

  const improve2opt = (a: number): number => {
    for (let dir = 0; dir < 2; dir++) {
      const b = dir === 0 ? cur.succ(a) : cur.pred(a);
      const dab = D[a * n + b];
      for (let t = 0; t < k; t++) {
        const c = neigh[a * k + t];
        const dac = D[a * n + c];
        if (dac >= dab - EPS) break;
        const d = dir === 0 ? cur.succ(c) : cur.pred(c);
        if (c === b || d === a) continue;
        const delta = dac + D[b * n + d] - dab - D[c * n + d];
        if (delta < -EPS) {
          cur.move2opt(a, b, c, d);
          push(a); push(b); push(c); push(d);
          return delta;
        }
      }
    }
    return 0;
  };

  const orMove = (p: number, s1: number, s2: number, nx: number, c: number, e: number, cToS1: boolean): void => {
    const fwd = cur.succ(p) === s1;
    if ((fwd && cur.succ(c) === e) || (!fwd && cur.pred(c) === e)) {
      cur.move2opt(p, s1, c, e);
      cur.move2opt(p, c, nx, s2);
      if (cToS1) cur.move2opt(c, s2, s1, e);
    } else {
      cur.move2opt(nx, s2, c, e);
      cur.move2opt(nx, c, p, s1);
      if (!cToS1) cur.move2opt(c, s1, s2, e);
    }
  };

  const improveOr = (a: number): number => {
    for (let dir = 0; dir < 2; dir++) {
      let s2 = a;
      let mid = -1;
      for (let len = 1; len <= 3 && len + 3 <= n; len++) {
        if (len > 1) {
          if (len === 3) mid = s2;
          s2 = dir === 0 ? cur.succ(s2) : cur.pred(s2);
        }
        const s1 = a;
        const p = dir === 0 ? cur.pred(s1) : cur.succ(s1);
        const nx = dir === 0 ? cur.succ(s2) : cur.pred(s2);
        if (nx === p) break;
        const gain = D[p * n + s1] + D[s2 * n + nx] - D[p * n + nx];
        if (gain <= EPS) continue;
        for (let end = 0; end < 2; end++) {
          const x = end === 0 ? s1 : s2; // the segment end joined to c
          const y = end === 0 ? s2 : s1;
          for (let t = 0; t < k; t++) {
            const c = neigh[x * k + t];
            const dxc = D[x * n + c];
            if (dxc >= gain - EPS) break;
            if (c === s1 || c === s2 || c === mid || c === p || c === nx) continue;
            for (let side = 0; side < 2; side++) {
              const e = side === 0 ? cur.succ(c) : cur.pred(c);
              if (e === s1 || e === s2 || e === mid || e === p || e === nx) continue;
              const delta = dxc + D[y * n + e] - D[c * n + e] - gain;
              if (delta < -EPS) {
                orMove(p, s1, s2, nx, c, e, x === s1);
                push(p); push(nx); push(s1); push(s2); push(c); push(e);
                return delta;
              }
            }
          }
        }
      }
    }
    return 0;
  };

  const localSearch = (): number => {
    let total = 0;
    while (qLen > 0) {
      const a = queue[qHead];
      qHead = (qHead + 1) % n;
      qLen--;
      inQ[a] = 0;
      for (;;) {
        let d = improve2opt(a);
        if (d === 0) d = improveOr(a);
        if (d === 0) break;
        total += d;
      }
    }
    return total;
  };

  for (let i = 0; i < n; i++) push(cur.tour[i]);
  let curCost = tourCost(cost, n, Array.from(cur.tour));
  curCost += localSearch();
  const best = new ArrayTour(cur.tour);
  let bestCost = curCost;

  const maxSeg = Math.max(1, Math.min(50, Math.floor(n / 8)));
  const seg = new Int32Array(2 * maxSeg);
  let iter = 0;
  while (iter < maxIter) {
    if ((iter & 15) === 0 && Date.now() - t0 >= timeLimit) break;
    iter++;
    // Localised double bridge: ... a [B] [C] z ...  →  ... a [C] [B] z ...
    const l1 = 1 + rng.int(maxSeg);
    const l2 = 1 + rng.int(maxSeg);
    const i0 = rng.int(n);
    const at = (q: number): number => cur.tour[(i0 + q) % n];
    const a = at(0);
    const b1 = at(1);
    const b2 = at(l1);
    const c1 = at(l1 + 1);
    const c2 = at(l1 + l2);
    const z = at(l1 + l2 + 1);
    const delta = D[a * n + c1] + D[c2 * n + b1] + D[b2 * n + z] - D[a * n + b1] - D[b2 * n + c1] - D[c2 * n + z];
    for (let q = 0; q < l1 + l2; q++) seg[q] = at(1 + q);
    let w = (i0 + 1) % n;
    for (let q = l1; q < l1 + l2; q++, w = (w + 1) % n) { cur.tour[w] = seg[q]; cur.pos[seg[q]] = w; }
    for (let q = 0; q < l1; q++, w = (w + 1) % n) { cur.tour[w] = seg[q]; cur.pos[seg[q]] = w; }
    push(a); push(b1); push(b2); push(c1); push(c2); push(z);
    const newCost = curCost + delta + localSearch();
    if (newCost <= bestCost + EPS) {
      bestCost = newCost;
      curCost = newCost;
      best.copyFrom(cur);
    } else {
      cur.copyFrom(best);
      curCost = bestCost;
    }
  }
  const tour = best.order(0);
  return { tour, cost: tourCost(cost, n, tour), iterations: iter };
}

/** Length of the closed tour `tour` under `cost`. */
export function tourCost(cost: ArrayLike<number>, n: number, tour: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < tour.length; i++) s += cost[tour[i] * n + tour[(i + 1) % tour.length]];
  return s;
}
