import { describe, expect, it } from 'vitest';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import { scanPlan } from '../scan/scan-plan';
import type { RowResult } from '../scan/scan-row';
import { readFirstWindow, runFirstStage } from './first-stage';
import type { LoadedModel } from './load-model';
import { tinyTileCard as card } from '../testing/tiny-tile-card';

/** A tiled source whose windows are grey, recording every window read. */
function fakeSource(reads: string[]): GeoTiffSource {
  return {
    layout: { tiled: true },
    readWindow: async (box: readonly number[], w: number, h: number) => {
      reads.push(box.join(','));
      return { width: w, height: h, rgb: new Uint8Array(w * h * 3).fill(90), valid: new Uint8Array(w * h).fill(1), allValid: true };
    },
  } as unknown as GeoTiffSource;
}

const model = {
  card,
  dir: '',
  infer: async (_b: Float32Array, n: number) => Array.from({ length: n }, () => Float32Array.of(0.5)),
  release: async () => {},
} as LoadedModel;

describe('the first window read while the models load', () => {
  it('is the window this thread scans first: taken by its runner, so every window is read once', async () => {
    // 20 tiles across in swaths of 8 (one segment a unit), 3 rows: 9 units.
    const plan = scanPlan(250, 40, { x: 0.1, y: 0.1 }, card);
    for (const early of [false, true]) {
      const reads: string[] = [];
      const src = fakeSource(reads);
      const first = early ? readFirstWindow(src, plan) : undefined;
      const rows: RowResult[] = [];
      await runFirstStage({
        path: 'x.tif',
        src,
        plan,
        card,
        batchSize: 4,
        cacheBytes: 0,
        first,
        local: model,
        inThisThread: true,
        workers: [],
        take: (r) => rows.push(r),
      });
      expect(reads.length).toBe(9);
      expect(new Set(reads).size).toBe(9);
      expect(rows.reduce((n, r) => n + r.tiles.length, 0)).toBe(plan.tilesAcross * plan.tilesDown);
      if (first) expect(reads[0]).toBe(first.box.join(','));
    }
  });
});
