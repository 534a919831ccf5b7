import { describe, expect, it } from 'vitest';
import { tracePlots } from './trace-plots';
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
});
