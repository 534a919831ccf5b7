/**
 * mulberry32: a small seeded 32-bit generator, uniform in [0, 1). The same starting state gives the same
 * sequence on every platform, so planner runs, synthetic scenes and randomised tests repeat exactly. Callers
 * choose how a seed becomes the starting state (the planner and synth mix it first; tests use it as is).
 */
export function mulberry32(state: number): () => number {
  let a = state | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
