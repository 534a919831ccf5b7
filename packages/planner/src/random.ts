import { mulberry32 } from '@tiandi/geo';

/** A seeded pseudo-random number generator (mulberry32). Same seed, same sequence, on every platform. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * Creates a deterministic generator from an integer seed.
 * @example const rng = createRng(1); rng.int(10); // always the same value for seed 1
 */
export function createRng(seed: number): Rng {
  const next = mulberry32((seed | 0) ^ 0x9e3779b9);
  return { next, int: (n: number) => Math.floor(next() * n) };
}
