import { describe, expect, it } from 'vitest';
import type { ModelCard } from '../model/model-card';
import { scanPlan } from './scan-plan';
import { scanRow, type RowResult } from './scan-row';

// A 16-px tile every 12 px at the file's own GSD, one score a tile.
const card = {
  gsd_m: 0.1,
  tile_stride: 12,
  task: 'tile-classifier',
  input: { name: 'image', size: 16, channels: ['R', 'G', 'B'], scale: 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  output: { stride: 16 },
} as unknown as ModelCard;

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
});
