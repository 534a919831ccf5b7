import { describe, expect, it } from 'vitest';
import { mergeNearPlots, partOutlines, traceCells, tracePlots } from './trace-plots';
import { ringArea } from './outline-rings';

function grid(rows: string[]): { s: Float32Array; w: number; h: number } {
  const h = rows.length;
  const w = rows[0].length;
  const s = new Float32Array(w * h);
  const v: Record<string, number> = { '#': 0.9, H: 0.7, '+': 0.5, o: 0.3, '.': 0.1 };
  rows.forEach((r, y) => [...r].forEach((c, x) => (s[y * w + x] = v[c] ?? NaN)));
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
    const joined = mergeNearPlots(plots, w, 1);
    expect(joined.length).toBe(2);
    expect(joined[0].partCells?.length).toBe(3);
    expect(joined[1]).toBe(plots[3]);
    expect(mergeNearPlots(plots, w, 3).length).toBe(1);
  });
  it('join "nearest" makes no chains: each plot joins one larger neighbour that joins nothing itself', () => {
    // A (4 cells), b, C (4 cells), d in a row, each one empty column from the next: chain joins all four.
    const { s, w, h } = grid(['##.#.##.#', '##...##..']);
    const plots = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 });
    expect(plots.map((p) => p.seed)).toEqual([0, 3, 5, 8]);
    expect(mergeNearPlots(plots, w, 1).length).toBe(1);
    const near = mergeNearPlots(plots, w, 1, 'nearest');
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
    expect(mergeNearPlots(plots, w, 1, 'nearest').map((p) => p.partCells?.length ?? 1)).toEqual([3]);
    const pairs = mergeNearPlots(plots, w, 1, 'pair');
    expect(pairs.map((p) => p.seed)).toEqual([0, 5]);
    expect(pairs.map((p) => p.partCells?.length ?? 1)).toEqual([2, 1]);
  });
  it("growthPeakShare keeps a plot to its own peak's response: the weak field around it is left out", () => {
    // A strong 2 × 2 plot (0.9) in a field at 0.3 (above low 0.25), and a weaker seed H (0.7) at the field's edge.
    const { s, w, h } = grid(['ooooooo', 'o##oooH', 'o##oooo']);
    const o = { high: 0.6, low: 0.25, minCells: 1 };
    const whole = tracePlots(s, w, h, o);
    expect(whole.map((p) => p.cells)).toEqual([21]);
    // 0.5 × 0.9 = 0.45 > 0.3: the plot is its four cells; H's floor 0.35 > 0.3: H alone; the rest of the field dropped.
    const bound = tracePlots(s, w, h, { ...o, growthPeakShare: 0.5 });
    expect(bound.map((p) => [p.seed, p.cells])).toEqual([
      [8, 4],
      [13, 1],
    ]);
    expect(bound[0].scoreMax).toBeCloseTo(0.9);
    expect(bound[0].scoreMean).toBeCloseTo(0.9);
    // 0.3 × 0.9 = 0.27 < 0.3: the field is the plot's again, and H inside it starts none.
    expect(tracePlots(s, w, h, { ...o, growthPeakShare: 0.3 }).map((p) => [p.seed, p.cells])).toEqual([[8, 21]]);
    // Joined again when the parts lie within the gap: bounding keeps them apart only where the field is left out.
    expect(tracePlots(s, w, h, { ...o, growthPeakShare: 0.5, mergeGapCells: 2 }).map((p) => p.partCells?.length ?? 1)).toEqual([1, 1]);
    expect(tracePlots(s, w, h, { ...o, growthPeakShare: 0.5, mergeGapCells: 3 }).map((p) => p.partCells?.length ?? 1)).toEqual([2]);
  });
  it('maxPartCells stops a part at that many cells, highest-scoring neighbour first; what is left seeds its own', () => {
    const { s, w, h } = grid(['##++##', '......']);
    const o = { high: 0.6, low: 0.35, minCells: 1 };
    expect(tracePlots(s, w, h, o).map((p) => p.cells)).toEqual([6]);
    // From seed 4 the 0.9 cell 5 is taken before the 0.5 cell 3; the two 0.5 cells no part took are dropped.
    const capped = tracePlots(s, w, h, { ...o, maxPartCells: 2 });
    expect(capped.map((p) => [...p.cellIndices].sort((a, b) => a - b))).toEqual([
      [0, 1],
      [4, 5],
    ]);
    const row = grid(['###']);
    expect(tracePlots(row.s, row.w, row.h, { ...o, maxPartCells: 2 }).map((p) => [p.seed, p.cells])).toEqual([
      [0, 2],
      [2, 1],
    ]);
    // Unbounded by either key when both are large: the same plots as without them.
    expect(tracePlots(s, w, h, { ...o, maxPartCells: 100, growthPeakShare: 0.01 }).map((p) => p.cells)).toEqual([6]);
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
  it('mergeNearPlots measures the gap to a long diagonal plot (its box far larger than its cells) cell by cell', () => {
    const w = 100;
    const s = new Float32Array(w * w).fill(0.1);
    for (let k = 0; k < 90; k++) s[(5 + k) * w + 5 + k] = s[(5 + k) * w + 6 + k] = 0.9;
    s[50 * w + 56] = 0.9; // three cells (Chebyshev) from the staircase (its cells (53, 53) and (52, 52)): a gap of two
    s[20 * w + 60] = 0.9; // inside the staircase's box, far from its cells
    const plots = tracePlots(s, w, w, { high: 0.6, low: 0.35, minCells: 1 });
    expect(plots.map((p) => p.cells)).toEqual([180, 1, 1]);
    expect(mergeNearPlots(plots, w, 1).map((p) => p.cells)).toEqual([180, 1, 1]);
    expect(mergeNearPlots(plots, w, 2).map((p) => p.cells)).toEqual([181, 1]);
    // A wide bar and a larger block three rows under its middle: only the middle of the bar's bottom row is that near.
    const block = '....#######....';
    const bar = grid(['###############', '###############', '###############', '...............', '...............', ...Array(7).fill(block)]);
    const parts = tracePlots(bar.s, bar.w, bar.h, { high: 0.6, low: 0.35, minCells: 1 });
    expect(mergeNearPlots(parts, bar.w, 1).length).toBe(2);
    expect(mergeNearPlots(parts, bar.w, 2).length).toBe(1);
    expect(mergeNearPlots(parts, bar.w, 2, 'pair').length).toBe(1);
    expect(mergeNearPlots(plots, w, 2, 'nearest').map((p) => p.cells)).toEqual([181, 1]);
  });
  it('mergeNearPlots joins exactly the plots a cell-by-cell search finds within the gap, on random fields', () => {
    // Fields of blobs, combs (a plot's cells inside another's box) and long diagonals (a box far larger than its cells).
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let trial = 0; trial < 4; trial++) {
      const w = 140,
        h = 130;
      const s = new Float32Array(w * h).fill(0.1);
      addBlobs(s, w, h, rand, { count: 70, radius: [1, 6], density: 0.8, value: () => 0.9 });
      for (let x = 10; x < 80; x += 3) for (let y = 5; y < 25; y++) s[y * w + x] = 0.9; // a comb's teeth
      // A staircase: one plot whose box is far larger than its cells (kept as a Set).
      for (let k = 0; k < 110; k++) s[(15 + k) * w + 20 + k] = s[(15 + k) * w + 21 + k] = 0.9;
      const plots = tracePlots(s, w, h, { high: 0.6, low: 0.35, minCells: 1 });
      for (const gap of [1, 2, 3]) {
        const groups = (joined: { partCells?: Int32Array[]; cellIndices: Int32Array }[]) =>
          joined
            .map((p) =>
              (p.partCells ?? [p.cellIndices])
                .map((c) => Math.min(...c))
                .sort((a, b) => a - b)
                .join(','),
            )
            .sort();
        expect(groups(mergeNearPlots(plots, w, gap))).toEqual(groups(bruteForceChains(plots, w, gap + 1)));
      }
    }
  });
  it('partOutlines draws each part as tracing does, so a scan can trace without outlines and draw only those it keeps', () => {
    let seed = 777;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const w = 120,
      h = 110;
    const s = new Float32Array(w * h).fill(0.1);
    // Ragged blobs with holes of one cell and more (filled under minCells, kept above it).
    addBlobs(s, w, h, rand, { count: 60, radius: [2, 7], density: 0.85, value: () => (rand() < 0.5 ? 0.9 : 0.5) });
    const o = { high: 0.6, low: 0.35, minCells: 3, mergeGapCells: 2 };
    const withOutlines = tracePlots(s, w, h, o);
    const without = tracePlots(s, w, h, { ...o, outlines: false });
    expect(withOutlines.some((p) => p.partCells)).toBe(true);
    expect(withOutlines.some((p) => p.polygons.some((q) => q.holes.length))).toBe(true);
    const shorn = (plots: typeof without) => plots.map((p) => ({ ...p, polygons: [], cellIndices: Array.from(p.cellIndices) }));
    expect(shorn(without)).toEqual(shorn(withOutlines));
    for (const p of without) {
      expect(p.polygons).toEqual([]);
      const parts = p.partCells ?? [p.cellIndices];
      expect(parts.flatMap((c) => partOutlines(c, w, o.minCells))).toEqual(withOutlines.find((q) => q.seed === p.seed)!.polygons);
      // A joined plot's cells are its parts', in order.
      expect(Array.from(p.cellIndices)).toEqual(parts.flatMap((c) => Array.from(c)));
    }
  });
  it('joins a group of more plots than a function call takes arguments (noise joined by the gap)', () => {
    // 360 000 one-cell plots, each one cell from its neighbours: one group under a gap of 1.
    const side = 600;
    const width = 2 * side;
    const plots = [];
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) {
        const cell = 2 * y * width + 2 * x;
        plots.push({ polygons: [], cells: 1, scoreMax: (x * 7 + y * 13) % 101, scoreMean: 1, seed: cell, cellIndices: Int32Array.of(cell) });
      }
    const [joined, ...rest] = mergeNearPlots(plots, width, 1);
    expect(rest).toEqual([]);
    expect(joined.partCells?.length).toBe(side * side);
    expect(joined.scoreMax).toBe(100);
    expect(joined.cells).toBe(side * side);
  });
});

/** Chain joining by looking at every pair of cells of every pair of plots: plots with cells within `reach` (Chebyshev) are one. */
function bruteForceChains(plots: { cellIndices: Int32Array; partCells?: Int32Array[] }[], w: number, reach: number) {
  const parent = plots.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const near = (a: Int32Array, b: Int32Array) =>
    [...a].some((i) => [...b].some((j) => Math.max(Math.abs((i % w) - (j % w)), Math.abs(Math.floor(i / w) - Math.floor(j / w))) <= reach));
  for (let i = 0; i < plots.length; i++)
    for (let j = i + 1; j < plots.length; j++) if (near(plots[i].cellIndices, plots[j].cellIndices)) parent[root(j)] = root(i);
  const groups = new Map<number, Int32Array[]>();
  plots.forEach((p, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), p.cellIndices]));
  return [...groups.values()].map((parts) => (parts.length === 1 ? { cellIndices: parts[0] } : { cellIndices: parts[0], partCells: parts }));
}

/** Square blobs at random centres (radius radius[0] plus 0 to radius[1] − 1), each cell set to value() with probability `density`. */
function addBlobs(
  s: Float32Array,
  w: number,
  h: number,
  rand: () => number,
  o: { count: number; radius: [number, number]; density: number; value: () => number },
): void {
  for (let b = 0; b < o.count; b++) {
    const cx = Math.floor(rand() * w),
      cy = Math.floor(rand() * h),
      r = o.radius[0] + Math.floor(rand() * o.radius[1]);
    for (let y = Math.max(0, cy - r); y < Math.min(h, cy + r); y++)
      for (let x = Math.max(0, cx - r); x < Math.min(w, cx + r); x++) if (rand() < o.density) s[y * w + x] = o.value();
  }
}
