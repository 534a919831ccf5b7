import { describe, expect, it } from 'vitest';
import { mergeNearPlots, traceCells, tracePlots } from './trace-plots';
import { ringArea } from './outline-rings';

function grid(rows: string[]): { s: Float32Array; w: number; h: number } {
  const h = rows.length;
  const w = rows[0].length;
  const s = new Float32Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (s[y * w + x] = c === '#' ? 0.9 : c === '+' ? 0.5 : c === '.' ? 0.1 : NaN)));
  return { s, w, h };
}

describe('tracePlots', () => {
  it('seeds at high, grows through low, drops specks', () => {
    const { s, w, h } = grid(['..........', '.##++.....', '.#+++...#.', '.++.......', '..........']);
    const plots = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 2 });
    expect(plots.length).toBe(1);
    expect(plots[0].cells).toBe(10);
    expect(plots[0].scoreMax).toBeCloseTo(0.9);
    expect(plots[0].scoreMean).toBeCloseTo((3 * 0.9 + 7 * 0.5) / 10, 5);
    expect(plots[0].seed).toBe(11);
    const outer = plots[0].polygons[0].outer;
    expect(ringArea(outer)).toBeGreaterThan(7);
  });
  it('a low-only region without a seed is not a plot', () => {
    const { s, w, h } = grid(['.....', '.+++.', '.+++.', '.....']);
    expect(tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 })).toEqual([]);
  });
  it('fills small holes and keeps large ones', () => {
    const { s, w, h } = grid(['#########', '#.#.....#', '###.....#', '#.......#', '#########']);
    const [p] = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 2, simplifyCells: 0 });
    expect(p.polygons.length).toBe(1);
    expect(p.polygons[0].holes.length).toBe(1);
    expect(p.cells).toBe(45 - 17 + 1 - 1); // 28 plot cells + 1 small hole filled (cell (1,1)); the 17-cell hole stays
    const holeArea = -ringArea(p.polygons[0].holes[0]);
    expect(holeArea).toBe(17);
    expect(ringArea(p.polygons[0].outer)).toBe(45);
  });
  it('NaN cells (no data) never join a plot', () => {
    const { s, w, h } = grid(['###  ###', '###  ###']);
    expect(tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 }).length).toBe(2);
  });
  it('diagonal touches produce simple rings', () => {
    const { s, w, h } = grid(['#.#', '.#.', '#.#']);
    const plots = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 });
    expect(plots.length).toBe(5);
    for (const p of plots) expect(ringArea(p.polygons[0].outer)).toBe(1);
  });
  it('joins plots a one-cell gap or a corner apart when told to, and only those', () => {
    // Left: two parts split by a one-cell column under the growth threshold; right: a corner touch; far right: two cells away.
    const { s, w, h } = grid(['..............', '.##.#+..#.....', '.#+.##...#..#.', '..............']);
    const apart = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 });
    expect(apart.map((p) => p.seed)).toEqual([15, 18, 22, 37, 40]);
    const joined = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1, mergeGapCells: 1 });
    expect(joined.map((p) => p.seed)).toEqual([15, 22, 40]);
    const [left, corner, far] = joined;
    expect(left.cells).toBe(8);
    expect(left.polygons.length).toBe(2);
    expect(left.partCells?.map((c) => c.length)).toEqual([4, 4]);
    expect(left.scoreMean).toBeCloseTo((6 * 0.9 + 2 * 0.5) / 8, 5);
    expect([...left.cellIndices].sort((a, b) => a - b)).toEqual([15, 16, 18, 19, 29, 30, 32, 33]);
    expect(corner.partCells?.length).toBe(2);
    expect(far.partCells).toBeUndefined();
    expect(far.cells).toBe(1);
  });
  it('mergeNearPlots joins chains of near plots into one and leaves a lone plot as it was', () => {
    const { s, w, h } = grid(['#.#.#...#', '.........']);
    const plots = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 });
    expect(plots.length).toBe(4);
    const joined = mergeNearPlots(plots, w, h, 1);
    expect(joined.length).toBe(2);
    expect(joined[0].partCells?.length).toBe(3);
    expect(joined[1]).toBe(plots[3]);
    expect(mergeNearPlots(plots, w, h, 3).length).toBe(1);
  });
  it('join "nearest" makes no chains: each plot joins one larger neighbour that joins nothing itself', () => {
    // A (4 cells), b, C (4 cells), d in a row, each one empty column from the next: chain joins all four.
    const { s, w, h } = grid(['##.#.##.#', '##...##..']);
    const plots = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 });
    expect(plots.map((p) => p.seed)).toEqual([0, 3, 5, 8]);
    expect(mergeNearPlots(plots, w, h, 1).length).toBe(1);
    const near = mergeNearPlots(plots, w, h, 1, 'nearest');
    // b is as near A as C and joins A (the larger first, then the earlier seed); d joins C; A and C stay apart.
    expect(near.map((p) => p.seed)).toEqual([0, 5]);
    expect(near.map((p) => p.partCells?.map((c) => [...c].sort((x, y) => x - y)))).toEqual([
      [[0, 1, 9, 10], [3]],
      [[5, 6, 14, 15], [8]],
    ]);
    expect(tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1, mergeGapCells: 1, mergeJoin: 'nearest' }).map((p) => p.seed)).toEqual([0, 5]);
  });
  it('join "pair" lets a plot take at most one neighbour', () => {
    const { s, w, h } = grid(['#.##.#']);
    const plots = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 });
    expect(mergeNearPlots(plots, w, h, 1, 'nearest').map((p) => p.partCells?.length ?? 1)).toEqual([3]);
    const pairs = mergeNearPlots(plots, w, h, 1, 'pair');
    expect(pairs.map((p) => p.seed)).toEqual([0, 5]);
    expect(pairs.map((p) => p.partCells?.length ?? 1)).toEqual([2, 1]);
  });
  it('traceCells outlines a set of cells in grid coordinates, specks dropped', () => {
    // A 2 × 2 block at x 2-3, y 1-2 of a 10-wide grid, and a lone cell at (8, 1).
    const polys = traceCells([12, 13, 22, 23, 18], 10, 2);
    expect(polys.length).toBe(1);
    expect(ringArea(polys[0].outer)).toBe(4);
    expect(Math.min(...polys[0].outer.map((v) => v[0]))).toBe(2);
    expect(Math.min(...polys[0].outer.map((v) => v[1]))).toBe(1);
    expect(traceCells([12, 13, 22, 23, 18], 10, 1).length).toBe(2);
    expect(traceCells([], 10, 1)).toEqual([]);
  });
});
