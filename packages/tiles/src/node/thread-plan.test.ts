import { describe, expect, it } from 'vitest';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { ScanPlan } from '../scan/scan-plan';
import { defaultThreads, KEEP_LEVEL_BYTES, keepLevelBytes, RowRanges } from './thread-plan';

describe('RowRanges', () => {
  it('gives each runner a contiguous range, then the far end of the fullest one', () => {
    const r = new RowRanges(13, 2);
    expect([r.claim(0), r.claim(0), r.claim(1)]).toEqual([0, 1, 6]);
    // Runner 0 finishes its range [0, 6) while runner 1 is still at row 7.
    for (let i = 2; i < 6; i++) expect(r.claim(0)).toBe(i);
    expect(r.claim(1)).toBe(7);
    expect(r.claim(0)).toBe(12);
    expect(r.claim(0)).toBe(11);
    expect(r.remaining()).toBe(3);
  });

  it('hands out every row exactly once, whatever the order of claims', () => {
    for (const runners of [1, 2, 3, 5]) {
      const r = new RowRanges(17, runners);
      const seen: number[] = [];
      let k = 0;
      for (let ty = r.claim(0); ty >= 0; ty = r.claim(k++ % runners)) seen.push(ty);
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 17 }, (_, i) => i));
      expect(r.remaining()).toBe(0);
      expect(r.claim(0)).toBe(-1);
    }
  });
});

describe('defaultThreads', () => {
  it('starts worker threads only for jobs long enough to pay for them, later for JPEG (decoded off the thread)', () => {
    const jpeg = (mpx: number) => ({ mpx, compression: 7 });
    const deflate = (mpx: number) => ({ mpx, compression: 8 });
    expect(defaultThreads([jpeg(64)], 2)).toBe(1);
    expect(defaultThreads([jpeg(268)], 2)).toBe(1);
    expect(defaultThreads([jpeg(1600)], 2)).toBe(2);
    expect(defaultThreads([deflate(64)], 2)).toBe(1);
    expect(defaultThreads([deflate(268)], 8)).toBe(8);
    // Several images add up: two 64-Mpx deflate files are one long job.
    expect(defaultThreads([deflate(64), deflate(64)], 2)).toBe(2);
    expect(defaultThreads([jpeg(400), deflate(30)], 2)).toBe(2);
    expect(defaultThreads([], 2)).toBe(1);
  });
});

describe('keepLevelBytes', () => {
  /** A source shaped like a 5-cm COG of side × side pixels with 2× and 4× overviews in 512-px blocks. */
  const cog = (side: number, tiled = true) => ({
    width: side, height: side, gsdM: { x: 0.05, y: 0.05 },
    layout: { compression: 7, tiled, blockWidth: 512, blockHeight: 512, bitsPerSample: 8, bigTiff: false },
    levels: [1, 2, 4].map((f) => ({ width: side / f, height: side / f, scaleX: f, scaleY: f })),
  }) as unknown as GeoTiffSource;
  // The first stage at 0.15 m reads the 2× overview (0.1 m) and resamples it by 1.5.
  const plan = { fx: 3, fy: 3 } as ScanPlan;

  it('keeps the level the first stage decoded when a prefilter reads the same level and it fits', () => {
    // 8192² at 5 cm: the 2× overview is 8 × 8 blocks of 512², 4 bytes a pixel held.
    expect(keepLevelBytes(cog(8192), plan, 0.1)).toBe(8 * 8 * 512 * 512 * 4);
    expect(keepLevelBytes(cog(8192), plan, 0.1)).toBeLessThanOrEqual(KEEP_LEVEL_BYTES);
  });

  it('keeps nothing when the prefilter reads another level, the level is too big, or the file is striped', () => {
    expect(keepLevelBytes(cog(8192), plan, 0.05)).toBe(0);
    expect(keepLevelBytes(cog(40960), plan, 0.1)).toBe(0);
    expect(keepLevelBytes(cog(8192, false), plan, 0.1)).toBe(0);
  });
});
