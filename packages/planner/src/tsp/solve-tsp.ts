import { createRng, type Rng } from '../random';
import { ArrayTour } from './array-tour';
import { greedyTour } from './greedy-tour';
import { neighbourLists } from './neighbour-lists';
import { TspLocalSearch } from './tsp-local-search';

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
 * orientations) over neighbour lists with don't-look bits ({@link TspLocalSearch}), and localised
 * double-bridge kicks ({@link doubleBridgeKick}) accepted when not worse.
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

  const cur = new ArrayTour(options.initial ?? greedyTour(cost, n, neigh, k));
  const search = new TspLocalSearch(cur, cost, n, neigh, k);
  for (let i = 0; i < n; i++) search.push(cur.tour[i]);
  let curCost = tourCost(cost, n, Array.from(cur.tour));
  curCost += search.run();
  const best = new ArrayTour(cur.tour);
  let bestCost = curCost;

  const kick = doubleBridgeKick(cur, cost, rng);
  let iter = 0;
  while (iter < maxIter) {
    if ((iter & 15) === 0 && Date.now() - t0 >= timeLimit) break;
    iter++;
    const newCost = curCost + kick(search) + search.run();
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

/**
 * The perturbation: a localised double bridge, two adjacent short segments swapped
 * (… a [B] [C] z … → … a [C] [B] z …), segments of up to n/8 (at most 50) cities. The returned
 * function kicks the tour, queues the six cities at the cuts, and returns the change in cost.
 */
function doubleBridgeKick(cur: ArrayTour, D: ArrayLike<number>, rng: Rng): (search: TspLocalSearch) => number {
  const n = cur.n;
  const maxSeg = Math.max(1, Math.min(50, Math.floor(n / 8)));
  const seg = new Int32Array(2 * maxSeg);
  return (search) => {
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
    for (let q = l1; q < l1 + l2; q++, w = (w + 1) % n) {
      cur.tour[w] = seg[q];
      cur.pos[seg[q]] = w;
    }
    for (let q = 0; q < l1; q++, w = (w + 1) % n) {
      cur.tour[w] = seg[q];
      cur.pos[seg[q]] = w;
    }
    search.push(a);
    search.push(b1);
    search.push(b2);
    search.push(c1);
    search.push(c2);
    search.push(z);
    return delta;
  };
}

/** Length of the closed tour `tour` under `cost`. */
export function tourCost(cost: ArrayLike<number>, n: number, tour: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < tour.length; i++) s += cost[tour[i] * n + tour[(i + 1) % tour.length]];
  return s;
}
