/**
 * Chooses where a second-stage verifier looks at one candidate: its highest-scoring cells, greedily,
 * each at least `sepCells` (Chebyshev distance) from those already taken, at most `max` of them.
 * Ties keep row-major order, so the same heatmap always gives the same windows.
 */
export function pickWindowCells(scores: Float32Array, width: number, cells: ArrayLike<number>, max: number, sepCells: number): number[] {
  const order = Array.from(cells).sort((a, b) => scores[b] - scores[a] || a - b);
  const taken: number[] = [];
  for (const c of order) {
    if (taken.length >= max) break;
    const x = c % width, y = (c - x) / width;
    if (taken.every((t) => Math.max(Math.abs((t % width) - x), Math.abs(Math.floor(t / width) - y)) >= sepCells)) taken.push(c);
  }
  return taken;
}
