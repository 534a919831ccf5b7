/**
 * Chooses where a second-stage verifier looks at one candidate so that its windows cover all of it: the
 * candidate's cells are grouped into `blockCells × blockCells` blocks (about one window each), each block
 * offers its highest-scoring cell, and the `max` strongest offers are taken. The peak is always among them,
 * and a plot inside a large merged candidate (poppy hidden in a brassica field) still gets a window even
 * where the field scores higher, as long as the candidate has no more than `max` blocks: past that, blocks
 * scoring below the `max` strongest are not looked at (a 5 000-m² part has ~580 blocks of the verifier's 3 m;
 * raising `max` to 256 found one more of 134 foreign plots, models/poppy-synth/README.md, "Windows over the
 * whole of a large candidate"). Ties keep row-major order, so the same heatmap gives the same windows.
 */
export function pickWindowCells(
  grid: Float32Array | { get(i: number): number },
  width: number,
  cells: ArrayLike<number>,
  max: number,
  blockCells: number,
): number[] {
  const at = grid instanceof Float32Array ? (i: number) => grid[i] : (i: number) => grid.get(i);
  // Each block's best cell and its score, each cell's score read once (a paged grid's read is a page lookup).
  const bestCell = new Map<number, number>();
  const bestScore = new Map<number, number>();
  const b = Math.max(1, blockCells);
  const blocksAcross = Math.ceil(width / b);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    const v = at(c);
    const x = c % width,
      y = (c - x) / width;
    const key = Math.floor(y / b) * blocksAcross + Math.floor(x / b);
    const cur = bestCell.get(key);
    const curV = bestScore.get(key);
    if (cur === undefined || v > curV! || (v === curV && c < cur)) {
      bestCell.set(key, c);
      bestScore.set(key, v);
    }
  }
  // The strongest offers first, ties by cell (row-major): a total order, as cells are unique.
  const offers = [...bestCell.values()];
  const scores = Float64Array.from(bestScore.values());
  return Array.from(offers.keys())
    .sort((p, q) => scores[q] - scores[p] || offers[p] - offers[q])
    .slice(0, max)
    .map((k) => offers[k]);
}
