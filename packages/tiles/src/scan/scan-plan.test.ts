import { describe, expect, it } from 'vitest';
import { parseModelCard } from '../model/model-card';
import { scanPlan, cellToSourcePixel } from './scan-plan';
import { HeatmapAccumulator, sumUnitBits } from './heatmap-accumulator';

const base = {
  name: 't',
  version: '1.0.0',
  task: 'segmentation',
  input: { name: 'image', size: 64, channels: ['R', 'G', 'B'], scale: 255, mean: [0, 0, 0], std: [1, 1, 1] },
  output: { name: 'scores', activation: 'sigmoid', stride: 8 },
  gsd_m: 0.1,
  tile_stride: 48,
  classes: ['background', 'poppy'],
  positive_class: 'poppy',
  thresholds: { high: 0.6, low: 0.35, min_area_m2: 1 },
  training: { data: 'none' },
};
const seg = parseModelCard(base);
const cls = parseModelCard({ ...base, task: 'tile-classifier', output: { name: 'scores', activation: 'softmax' } });

describe('scanPlan', () => {
  it('covers the image with overlapping tiles on the model grid, snapping near-whole factors', () => {
    const p = scanPlan(600, 400, { x: 0.049999, y: 0.05 }, seg);
    expect([p.fx, p.fy]).toEqual([2, 2]);
    expect([p.workWidth, p.workHeight]).toEqual([300, 200]);
    expect([p.tilesAcross, p.tilesDown]).toEqual([6, 4]); // last tile origin 240 → covers 240..304 ≥ 300
    expect([p.heatWidth, p.heatHeight, p.outCells]).toEqual([38, 25, 8]);
    expect(cellToSourcePixel(p, 1, 2)).toEqual([16, 32]);
  });
  it('keeps fractional factors and refuses imagery coarser than twice the model GSD', () => {
    expect(scanPlan(1000, 1000, { x: 0.0625, y: 0.0625 }, seg).fx).toBeCloseTo(1.6);
    expect(scanPlan(100, 100, { x: 0.2, y: 0.2 }, seg).fx).toBe(0.5);
    expect(() => scanPlan(100, 100, { x: 0.21, y: 0.2 }, seg)).toThrow(/0\.210 m.*0\.1 m/);
  });
  it('does not refuse imagery a rounding difference over twice the model GSD (1 % slack), and refuses clearly coarser imagery with the reason', () => {
    const card15 = parseModelCard({ ...base, gsd_m: 0.15 });
    // 0.30003 m: 0.3-m imagery measured on the ground in UTM away from the central meridian.
    const p = scanPlan(1000, 1000, { x: 0.30003, y: 0.3 }, card15);
    expect(p.fx).toBeCloseTo(0.15 / 0.30003, 6);
    expect([p.workWidth, p.workHeight]).toEqual([2001, 2000]);
    expect(scanPlan(100, 100, { x: 0.3029, y: 0.3029 }, card15).fx).toBeCloseTo(0.15 / 0.3029, 6);
    let err: unknown;
    try {
      scanPlan(100, 100, { x: 0.31, y: 0.3 }, card15, 'coarse.tif');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: 'TIANDI_E_GSD_TOO_COARSE',
      message: expect.stringMatching(/0\.310 m is coarser than twice the model's 0\.15 m \(limit 0\.300 m\)/),
    });
    expect(err).toMatchObject({ path: 'coarse.tif' });
  });
  it('puts classifier cells on tile centres', () => {
    const p = scanPlan(600, 400, { x: 0.05, y: 0.05 }, cls);
    expect([p.cellWork, p.cellOffsetWork, p.heatWidth, p.heatHeight]).toEqual([48, 8, 6, 4]);
    expect(cellToSourcePixel(p, 0, 0)).toEqual([16, 16]);
  });
});

describe('HeatmapAccumulator', () => {
  it('blends overlapping segmentation tiles without seams and leaves invalid cells NaN', () => {
    const p = scanPlan(600, 400, { x: 0.05, y: 0.05 }, seg);
    const acc = new HeatmapAccumulator(p);
    acc.addTile(0, 0, new Float32Array(64).fill(0.2));
    acc.addTile(1, 0, new Float32Array(64).fill(0.8));
    acc.setValidRows(0, 8, new Uint8Array(8 * p.heatWidth).fill(1));
    const s = acc.scores();
    expect(s[0]).toBeCloseTo(0.2);
    expect(s[10]).toBeCloseTo(0.8);
    // Cell 6 is covered by both tiles (tile 1 starts at cell 6): weights 1.5 (tile 0 edge) vs 0.5 (tile 1 edge)... blended between.
    expect(s[6]).toBeGreaterThan(0.2);
    expect(s[6]).toBeLessThan(0.8);
    expect(Number.isNaN(s[8 * p.heatWidth])).toBe(true);
  });

  it('gives the same heatmap, bit for bit, whatever order the tiles come in (threads finish rows in any order)', () => {
    const p = scanPlan(1200, 1000, { x: 0.05, y: 0.05 }, seg);
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    // Scores as a sigmoid gives them: from near 0 to near 1, float32.
    const tiles = Array.from({ length: p.tilesAcross * p.tilesDown }, (_, i) => ({
      tx: i % p.tilesAcross,
      ty: Math.floor(i / p.tilesAcross),
      scores: Float32Array.from({ length: 64 }, () => rand() ** 3),
    }));
    const heat = (order: typeof tiles) => {
      const acc = new HeatmapAccumulator(p);
      for (const t of order) acc.addTile(t.tx, t.ty, t.scores);
      acc.setValidRows(0, p.heatHeight, new Uint8Array(p.heatHeight * p.heatWidth).fill(1));
      return acc.scores();
    };
    const inOrder = heat(tiles);
    const shuffled = [...tiles].sort(() => rand() - 0.5);
    expect(Buffer.from(heat(shuffled).buffer).equals(Buffer.from(inOrder.buffer))).toBe(true);
    expect(Buffer.from(heat([...tiles].reverse()).buffer).equals(Buffer.from(inOrder.buffer))).toBe(true);
  });

  it('keeps whole-number sums under 2^32 however many tiles overlap a cell: fewer unit bits when more overlap', () => {
    expect(sumUnitBits(scanPlan(600, 400, { x: 0.05, y: 0.05 }, seg))).toBe(24);
    expect(sumUnitBits(scanPlan(600, 400, { x: 0.05, y: 0.05 }, cls))).toBe(24);
    // 32-cell tiles every 8 cells: a cell under 16 tiles, each weighing up to 31.
    const dense = parseModelCard({ ...base, output: { ...base.output, stride: 2 }, tile_stride: 16 });
    const p = scanPlan(600, 400, { x: 0.05, y: 0.05 }, dense);
    const bits = sumUnitBits(p);
    expect(bits).toBeLessThan(24);
    const acc = new HeatmapAccumulator(p);
    const ones = new Float32Array(p.outCells * p.outCells).fill(1);
    for (let ty = 0; ty < p.tilesDown; ty++) for (let tx = 0; tx < p.tilesAcross; tx++) acc.addTile(tx, ty, ones);
    acc.setValidRows(0, p.heatHeight, new Uint8Array(p.heatHeight * p.heatWidth).fill(1));
    // Every covered cell scored 1 by every tile over it: 1 after blending, had any sum wrapped round it would not be.
    const s = acc.scores();
    expect(s[10 * p.heatWidth + 10]).toBe(1);
  });
});
