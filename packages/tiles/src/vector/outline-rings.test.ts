import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@tiandi/geo';
import { outlineRings, ringArea } from './outline-rings';

describe('outlineRings', () => {
  it('traces the same rings from a row filler as from a test a cell, on random grids with holes and pinches', () => {
    const rnd = mulberry32(11);
    for (let trial = 0; trial < 20; trial++) {
      const w = 5 + Math.floor(rnd() * 40),
        h = 5 + Math.floor(rnd() * 30);
      const cells = Uint8Array.from({ length: w * h }, () => (rnd() < 0.55 ? 1 : 0));
      // A window of the grid, so rows start and end inside it.
      const [x0, y0, x1, y1] = [1, 2, w - 1, h - 1];
      const byCell = outlineRings((x, y) => cells[y * w + x] === 1, x0, y0, x1, y1);
      const fillRow = (y: number, a: number, b: number, out: Uint8Array) => {
        for (let x = a; x < b; x++) out[x - a + 1] = cells[y * w + x];
      };
      expect(outlineRings({ fillRow }, x0, y0, x1, y1)).toEqual(byCell);
      expect(byCell.length).toBeGreaterThan(0);
      const area = byCell.reduce((s, p) => s + ringArea(p.outer) + p.holes.reduce((t, q) => t + ringArea(q), 0), 0);
      let inside = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) inside += cells[y * w + x];
      expect(area).toBe(inside);
    }
  });
});
