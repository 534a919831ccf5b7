/**
 * The cells of one part that lie inside a square of `halfCells` around the centre of one of its windows scoring at
 * least `threshold`: where the prefilter saw something, as opposed to the whole part. The verifier's windows are
 * then placed only there (card key `verifier.prefilter.narrow`): on REAL forest a part passes on one window and
 * the verifier looked at every block of it. Keeps the order of `cells`.
 */
export function cellsInsidePassedWindows(
  cells: ArrayLike<number>,
  width: number,
  windows: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
  halfCells: number,
): number[] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < windows.length; i++) {
    if (!(scores[i] >= threshold)) continue;
    xs.push(windows[i] % width);
    ys.push(Math.floor(windows[i] / width));
  }
  const out: number[] = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    const x = c % width,
      y = (c - x) / width;
    for (let w = 0; w < xs.length; w++) {
      if (Math.abs(x - xs[w]) <= halfCells && Math.abs(y - ys[w]) <= halfCells) {
        out.push(c);
        break;
      }
    }
  }
  return out;
}
