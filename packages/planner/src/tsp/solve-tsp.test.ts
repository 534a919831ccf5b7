import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { solveTsp, tourCost } from './solve-tsp';

function randomMatrix(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => rng.next() * 1000);
  const y = Array.from({ length: n }, () => rng.next() * 1000);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = Math.hypot(x[i] - x[j], y[i] - y[j]);
  return m;
}

function bruteForce(m: Float64Array, n: number): number {
  let best = Infinity;
  const rest = Array.from({ length: n - 1 }, (_, i) => i + 1);
  const permute = (k: number): void => {
    if (k === rest.length) {
      best = Math.min(best, tourCost(m, n, [0, ...rest]));
      return;
    }
    for (let i = k; i < rest.length; i++) {
      [rest[k], rest[i]] = [rest[i], rest[k]];
      permute(k + 1);
      [rest[k], rest[i]] = [rest[i], rest[k]];
    }
  };
  permute(0);
  return best;
}

describe('solveTsp', () => {
  it('finds the optimum of small random instances (checked by brute force)', () => {
    for (const seed of [1, 2, 3]) {
      const n = 9;
      const m = randomMatrix(n, seed);
      const r = solveTsp(m, n, { maxIterations: 300, seed });
      expect(r.cost).toBeCloseTo(bruteForce(m, n), 6);
    }
  });

  it('returns a permutation whose cost matches the reported cost', () => {
    const n = 200;
    const m = randomMatrix(n, 7);
    const r = solveTsp(m, n, { maxIterations: 2000, seed: 1 });
    expect([...r.tour].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(r.tour[0]).toBe(0);
    expect(r.cost).toBeCloseTo(tourCost(m, n, r.tour), 6);
    // Random uniform 200 points in a 1000² square: optimum ≈ 0.7124·√(n·A)·(1+0.87/√n) ≈ 10 680.
    expect(r.cost).toBeLessThan(10_680 * 1.05);
  });

  it('is deterministic for a seed and an iteration limit', () => {
    const n = 120;
    const m = randomMatrix(n, 11);
    const a = solveTsp(m, n, { maxIterations: 500, seed: 5, timeLimitMs: 1e9 });
    const b = solveTsp(m, n, { maxIterations: 500, seed: 5, timeLimitMs: 1e9 });
    expect(a.tour).toEqual(b.tour);
  });
});
