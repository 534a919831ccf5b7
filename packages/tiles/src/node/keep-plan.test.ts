import { describe, expect, it } from 'vitest';
import { scanPlan } from '../scan/scan-plan';
import type { ModelCard } from '../model/model-card';
import { halfWindowPx, hotCellBoxes, hotScoreFor, swathEdgeBoxes } from './keep-plan';

// A segmentation model at 0.15 m on 0.05-m imagery: 3 source pixels a working pixel, 4-px cells, 256/224 tiles.
const card = {
  gsd_m: 0.15,
  input: { size: 256, channels: ['R', 'G', 'B'] },
  tile_stride: 224,
  task: 'segmentation',
  output: { stride: 4 },
} as unknown as ModelCard;
const plan = scanPlan(8192, 8192, { x: 0.05, y: 0.05 }, card);

describe('keep plan', () => {
  it('swath edges: the columns both neighbouring swaths read, a pixel wider each side', () => {
    expect(plan.tilesAcross).toBe(13);
    // Swaths of 8 tiles: one edge, from the next swath's first tile (8 × 224 × 3) to this one's last tile's right edge.
    expect(swathEdgeBoxes(plan, 8, 8192)).toEqual([[5375, 0, (7 * 224 + 256) * 3 + 1, 8192]]);
    expect(swathEdgeBoxes(plan, 13, 8192)).toEqual([]);
  });

  it('hot cells: one box a tile round the centres of cells at or over the score, widened by half a window', () => {
    const scores = new Float32Array(64 * 64);
    scores[0] = 0.5; // cell (0, 0) of the tile
    scores[2 * 64 + 3] = 0.2; // cell (3, 2)
    const cold = new Float32Array(64 * 64).fill(0.05);
    const boxes = hotCellBoxes(
      plan,
      {
        ty: 1,
        tiles: [
          { tx: 2, scores },
          { tx: 3, scores: cold },
        ],
      },
      0.1,
      34,
    );
    // Tile (2, 1) starts at cell (112, 56); cells are 12 source pixels, centres at 6.
    const cx = (c: number) => c * 12 + 6;
    expect(boxes).toEqual([[cx(112) - 34, cx(56) - 34, cx(115) + 34, cx(58) + 34]]);
    expect(hotCellBoxes(plan, { ty: 1, tiles: [{ tx: 2, scores }] }, 0.6, 34)).toEqual([]);
  });

  it('half a window: the widest stage in source pixels, two to spare; the hot score a hair under low', () => {
    expect(
      halfWindowPx(
        [
          { input: { size: 64 }, gsd_m: 0.05 },
          { input: { size: 64 }, gsd_m: 0.1 },
        ],
        { x: 0.05, y: 0.05 },
      ),
    ).toBeCloseTo(66);
    expect(halfWindowPx([], { x: 0.05, y: 0.05 })).toBe(2);
    expect(hotScoreFor(0.096)).toBeLessThan(0.096);
    expect(hotScoreFor(0.096)).toBeGreaterThan(0.0959);
  });
});
