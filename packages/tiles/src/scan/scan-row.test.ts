import { describe, expect, it } from 'vitest';
import { scanPlan } from './scan-plan';
import { scanRow, type RowResult } from './scan-row';
import { tinyTileCard as card } from '../testing/tiny-tile-card';

describe('scanRow', () => {
  it("tells each batch's tiles as their scores arrive, every tile once, before the row is done", async () => {
    const plan = scanPlan(100, 40, { x: 0.1, y: 0.1 }, card);
    const read = async (_box: readonly number[], w: number, h: number) => ({
      width: w,
      height: h,
      rgb: new Uint8Array(w * h * 3).fill(90),
      valid: new Uint8Array(w * h).fill(1),
      allValid: true,
    });
    const order: string[] = [];
    // Every tile scores 0.5; the order of scoring and telling is what is checked.
    const infer = async (_b: Float32Array, n: number) => {
      order.push(`scored ${n}`);
      return Array.from({ length: n }, () => Float32Array.of(0.5));
    };
    const told: RowResult['tiles'][] = [];
    const r = await scanRow(0, plan, card, read, infer, {
      batchSize: 3,
      segmentTiles: 4,
      onScored: (tiles) => {
        told.push(tiles);
        order.push(`told ${tiles.length}`);
      },
    });
    expect(plan.tilesAcross).toBe(8);
    expect(told.map((t) => t.map((x) => x.tx))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
    expect(told.flat()).toEqual(r.tiles);
    // Each batch told when scored, not all at the end.
    expect(order).toEqual(['scored 3', 'told 3', 'scored 3', 'told 3', 'scored 2', 'told 2']);
  });

  it('skips tiles without a valid pixel, scores the others in order, and marks validity on both grids', async () => {
    const plan = scanPlan(100, 40, { x: 0.1, y: 0.1 }, card);
    // Valid only left of x = 30 (tiles 0-2 hold valid pixels; tile 2 starts at 24).
    const read = async (box: readonly number[], w: number, h: number) => {
      const valid = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) valid[y * w + x] = box[0] + x < 30 ? 1 : 0;
      return { width: w, height: h, rgb: new Uint8Array(w * h * 3).fill(90), valid, allValid: false };
    };
    const infer = async (_b: Float32Array, n: number) => Array.from({ length: n }, () => Float32Array.of(0.5));
    const r = await scanRow(0, plan, card, read, infer, { batchSize: 2, segmentTiles: 3 });
    expect(r.tiles.map((t) => t.tx)).toEqual([0, 1, 2]);
    expect(r.tilesSkipped).toBe(plan.tilesAcross - 3);
    // A tile's heatmap cell (its 12-px stride block, 2 px in) is valid when at least half of it is: tiles 0 and 1; tile 2's
    // block [26, 38) holds 4 valid columns of 12.
    expect(Array.from(r.heatValid.subarray(0, 4))).toEqual([1, 1, 0, 0]);
    expect(r.footValid.some((v) => v === 1)).toBe(true);
    expect(r.footValid.every((v, i) => !v || (i % plan.footWidth) * plan.footCellWork < 30)).toBe(true);
  });
});
