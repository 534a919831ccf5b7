/**
 * Chooses where a second-stage verifier looks at one candidate so that its windows cover all of it: the
 * candidate's cells are grouped into `blockCells × blockCells` blocks (about one window each), each block
 * offers its highest-scoring cell, and the `max` strongest offers are taken. The peak is always among them,
 * and a plot inside a large merged candidate (poppy hidden in a brassica field) still gets a window even
 * where the field scores higher. Ties keep row-major order, so the same heatmap gives the same windows.
 */
export function pickWindowCells(
  grid: Float32Array | { get(i: number): number },
  width: number,
  cells: ArrayLike<number>,
  max: number,
  blockCells: number,
): number[] {
  const at = grid instanceof Float32Array ? (i: number) => grid[i] : (i: number) => grid.get(i);
  const best = new Map<number, number>();
  const b = Math.max(1, blockCells);
  const blocksAcross = Math.ceil(width / b);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    const x = c % width,
      y = (c - x) / width;
    const key = Math.floor(y / b) * blocksAcross + Math.floor(x / b);
    const cur = best.get(key);
    if (cur === undefined || at(c) > at(cur) || (at(c) === at(cur) && c < cur)) best.set(key, c);
  }
  return [...best.values()].sort((p, q) => at(q) - at(p) || p - q).slice(0, max);
}
