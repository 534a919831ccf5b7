import { describe, expect, it } from 'vitest';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { ScanPlan } from '../scan/scan-plan';
import {
  BASE_BYTES,
  cacheBytesFor,
  defaultThreads,
  FOOTPRINT_CACHE_BYTES,
  HEATMAP_CACHE_BYTES,
  heatmapBytes,
  KEPT_WRITES_IN_FLIGHT,
  KEPT_WRITES_BYTES,
  HELD_HEADROOM_BYTES,
  keptMemoryBytes,
  keptWriteBytes,
  STRIP_THREAD_BYTES,
  SECOND_STAGE_THREADS_BYTES,
  secondStageThreadsFit,
  stripThreadFits,
  WORKER_BYTES,
  KEEP_LEVEL_BYTES,
  keepLevelBytes,
  keptLevel,
  jpegScaleFactor,
  leastCacheBytesFor,
  leaveRowsToWorkers,
  MEMORY_BUDGET_BYTES,
  memoryPlan,
  RowRanges,
  scanUnits,
  swathTiles,
} from './thread-plan';
import { scanPlan } from '../scan/scan-plan';
import type { ModelCard } from '../model/model-card';

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
  it('starts worker threads only for jobs long enough to pay for them, later for JPEG and WebP (decoded off the thread)', () => {
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
    // WebP decodes through sharp on the thread pool too; ZSTD on the thread that reads it, like deflate.
    expect(defaultThreads([{ mpx: 268, compression: 50001 }], 2)).toBe(1);
    expect(defaultThreads([{ mpx: 268, compression: 50000 }], 2)).toBe(2);
    // Read by a fractional factor (10-cm imagery for a 15-cm model), a JPEG file's resampling is the scanning thread's work.
    expect(defaultThreads([{ mpx: 240, compression: 7, fractional: true }], 2)).toBe(2);
    expect(defaultThreads([{ mpx: 240, compression: 7, fractional: false }], 2)).toBe(1);
    expect(defaultThreads([{ mpx: 64, compression: 7, fractional: true }], 2)).toBe(1);
  });
});

describe('keepLevelBytes', () => {
  /** A source shaped like a 5-cm COG of side × side pixels with 2× and 4× overviews in 512-px blocks. */
  const cog = (side: number, tiled = true) =>
    ({
      width: side,
      height: side,
      gsdM: { x: 0.05, y: 0.05 },
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

describe('jpegScaleFactor', () => {
  /** A file of 8192² px at `gsd` m without overviews (or with a 2× one), JPEG or deflate. */
  const file = (gsd: number, compression = 7, overview = false) =>
    ({
      width: 8192,
      height: 8192,
      gsdM: { x: gsd, y: gsd },
      layout: { compression, tiled: true, blockWidth: 512, blockHeight: 512, bitsPerSample: 8, bigTiff: false },
      levels: [1, ...(overview ? [2] : [])].map((f) => ({ width: 8192 / f, height: 8192 / f, scaleX: f, scaleY: f })),
    }) as unknown as GeoTiffSource;
  const planAt = (gsd: number) => ({ fx: 0.15 / gsd, fy: 0.15 / gsd }) as ScanPlan;

  it('decodes blocks as much smaller as both the first stage (0.15 m) and the prefilter (0.1 m) read coarser', () => {
    // 5 cm: the first stage reads 3×, the prefilter 2×: both read the level decoded 2× smaller.
    expect(jpegScaleFactor(file(0.05), planAt(0.05), 0.1)).toBe(2);
    // 3 cm: first stage 5×, prefilter 3.3×: 2×, which the prefilter reads too (4× would be coarser than it).
    expect(jpegScaleFactor(file(0.03), planAt(0.03), 0.1)).toBe(2);
    // Without a prefilter the first stage alone decides: 4× at 3 cm, 8× at 1.5 cm.
    expect(jpegScaleFactor(file(0.03), planAt(0.03))).toBe(4);
    expect(jpegScaleFactor(file(0.015), planAt(0.015))).toBe(8);
  });

  it('decodes at full size when no stage reads 2× coarser, the file is not JPEG, or it has a coarse overview', () => {
    // 8 cm: the first stage reads 1.9×; 6 cm: 2.5×, but the prefilter 1.7×.
    expect(jpegScaleFactor(file(0.08), planAt(0.08), 0.1)).toBe(0);
    expect(jpegScaleFactor(file(0.06), planAt(0.06), 0.1)).toBe(0);
    expect(jpegScaleFactor(file(0.05, 8), planAt(0.05), 0.1)).toBe(0);
    expect(jpegScaleFactor(file(0.05, 7, true), planAt(0.05), 0.1)).toBe(0);
  });
});

describe('memory plan', () => {
  // The default model's grid: 256-px tiles every 224 working pixels at 0.15 m, scores every 4 pixels.
  const card = { gsd_m: 0.15, tile_stride: 224, task: 'segmentation', input: { size: 256 }, output: { stride: 4 } } as unknown as ModelCard;
  /** A 5-cm file of side × side pixels without overviews, tiled in 512² JPEG blocks or striped. */
  const file = (side: number, tiled = true, maskKind = 'none') =>
    ({
      width: side,
      height: side,
      gsdM: { x: 0.05, y: 0.05 },
      maskKind,
      layout: { compression: tiled ? 7 : 5, tiled, blockWidth: tiled ? 512 : side, blockHeight: tiled ? 512 : 1, bitsPerSample: 8, bigTiff: true },
      levels: [{ width: side, height: side, scaleX: 1, scaleY: 1 }],
    }) as unknown as GeoTiffSource;
  const planOf = (src: GeoTiffSource) => scanPlan(src.width, src.height, src.gsdM, card);

  it('cuts a wide tiled image into swaths scanned top to bottom, every tile once', () => {
    const src = file(40000);
    const plan = planOf(src);
    const swath = swathTiles(src, plan);
    expect(swath).toBe(8);
    const units = scanUnits(plan, swath);
    expect(units.slice(0, 2)).toEqual([
      [0, 0, 8],
      [1, 0, 8],
    ]);
    expect(units[plan.tilesDown]).toEqual([0, 8, 16]);
    const seen = new Set<string>();
    for (const [ty, tx0, tx1] of units) for (let tx = tx0; tx < tx1; tx++) seen.add(`${tx},${ty}`);
    expect(seen.size).toBe(plan.tilesAcross * plan.tilesDown);
    // A striped file's bands span the image: whole rows.
    expect(swathTiles(file(40000, false), plan)).toBe(plan.tilesAcross);
  });

  it("sizes a tiled file's block cache to a swath, not to the image's width", () => {
    const at = (side: number) => cacheBytesFor(file(side), planOf(file(side)));
    expect(at(40000)).toBe(at(100000));
    // Four block rows of a swath (8 tiles: 5 472 px, 12 blocks; a tile row spans 768 px, the row above stays) with a quarter to spare: ≈ 47 MB.
    expect(at(40000)).toBe(Math.ceil(12 * 4 * 512 * 512 * 3 * 1.25));
    // A validity byte a pixel when the file has alpha, a mask or nodata.
    expect(cacheBytesFor(file(40000, true, 'alpha'), planOf(file(40000)))).toBe(Math.ceil(12 * 4 * 512 * 512 * 4 * 1.25));
  });

  it('keeps two threads on a 1.6-Gpx COG, one on a wide striped file, and the whole plan within the budget', () => {
    for (const [src, threads] of [
      [file(40000), 2],
      [file(40000, false), 1],
      [file(60000, false), 1],
    ] as const) {
      const plan = planOf(src);
      const m = memoryPlan(src, plan, 2);
      expect(m.threads).toBe(threads);
      expect(m.cacheBytes).toBeLessThanOrEqual(cacheBytesFor(src, plan));
      expect(BASE_BYTES + heatmapBytes(plan) + m.threads * (m.cacheBytes + keptWriteBytes(src, plan)) + (m.threads - 1) * WORKER_BYTES).toBeLessThanOrEqual(
        MEMORY_BUDGET_BYTES,
      );
    }
    // A striped file so wide that even one thread's tile row of strips does not fit: its cache is cut to what is left.
    const wide = file(100000, false);
    expect(memoryPlan(wide, planOf(wide), 2).cacheBytes).toBeLessThan(cacheBytesFor(wide, planOf(wide)));
  });

  it('fits two worker threads on a 1.6-Gpx COG when this thread only hands out rows: its cache stays empty, theirs give up their spare quarter', () => {
    const src = file(40000);
    const plan = planOf(src);
    const m = memoryPlan(src, plan, 2, false);
    expect(m.threads).toBe(2);
    // 45 MB wanted each; beside two workers' heaps and their kept blocks being written, the 36 MB without the spare fit.
    expect(m.cacheBytes).toBeLessThan(cacheBytesFor(src, plan));
    expect(m.cacheBytes).toBeGreaterThanOrEqual(leastCacheBytesFor(src, plan));
    expect(BASE_BYTES + heatmapBytes(plan) + 2 * (m.cacheBytes + WORKER_BYTES + keptWriteBytes(src, plan))).toBeLessThanOrEqual(MEMORY_BUDGET_BYTES);
    // This thread scanning too, three threads' caches would not fit: two, each with all it wants, as before.
    expect(memoryPlan(src, plan, 3)).toEqual({ threads: 2, cacheBytes: cacheBytesFor(src, plan) });
    // A striped file's cache has no spare to give: one thread.
    const striped = file(40000, false);
    expect(leastCacheBytesFor(striped, planOf(striped))).toBe(cacheBytesFor(striped, planOf(striped)));
    expect(memoryPlan(striped, planOf(striped), 2, false).threads).toBe(1);
  });

  it('holds a few records of the kept file in flight a thread, only when the first stage reads full-resolution blocks', () => {
    // 512² blocks with a validity byte a pixel; a band of 32 one-row strips of a 40 000-px file.
    expect(keptWriteBytes(file(40000), planOf(file(40000)))).toBe(KEPT_WRITES_IN_FLIGHT * 512 * 512 * 4);
    expect(keptWriteBytes(file(40000, false), planOf(file(40000, false)))).toBe(KEPT_WRITES_IN_FLIGHT * 40000 * 32 * 4);
    // Tall strips: as many whole records as fit KEPT_WRITES_BYTES (64 rows: three of 10 MB), none past it (256
    // rows: 41 MB a record, written at once), so the block cache keeps the tile row's strips.
    const strips = (rows: number) => ({ ...file(40000, false), layout: { ...file(40000, false).layout, blockHeight: rows } }) as unknown as GeoTiffSource;
    expect(keptWriteBytes(strips(64), planOf(strips(64)))).toBe(3 * 40000 * 64 * 4);
    expect(keptWriteBytes(strips(256), planOf(strips(256)))).toBe(0);
    expect(keptWriteBytes(strips(64), planOf(strips(64)))).toBeLessThanOrEqual(KEPT_WRITES_BYTES);
    const tall = strips(256);
    expect(memoryPlan(tall, planOf(tall), 2).cacheBytes).toBe(cacheBytesFor(tall, planOf(tall)));
    // A first stage reading an overview keeps no blocks.
    const withOverview = {
      ...file(40000),
      levels: [1, 2, 4].map((f) => ({ width: 40000 / f, height: 40000 / f, scaleX: f, scaleY: f })),
    } as unknown as GeoTiffSource;
    expect(keptWriteBytes(withOverview, planOf(withOverview))).toBe(0);
    // A level decoded 2× smaller from the JPEG blocks (scaleJpegLevel) is kept, in its own 256² blocks, and its
    // smaller blocks make a smaller cache for the same swath.
    const scaled = {
      ...file(40000),
      levels: [
        { width: 40000, height: 40000, scaleX: 1, scaleY: 1 },
        { width: 20000, height: 20000, scaleX: 2, scaleY: 2, blockWidth: 256, blockHeight: 256 },
      ],
    } as unknown as GeoTiffSource;
    expect(keptLevel(scaled, planOf(scaled))?.scaleX).toBe(2);
    expect(keptLevel(withOverview, planOf(withOverview))).toBeUndefined();
    expect(keptWriteBytes(scaled, planOf(scaled))).toBe(KEPT_WRITES_IN_FLIGHT * 256 * 256 * 4);
    expect(cacheBytesFor(scaled, planOf(scaled))).toBeLessThan(cacheBytesFor(file(40000), planOf(file(40000))) / 2);
  });

  it('lets the thread that scans rows and runs the second stage hold kept blocks in memory with what the plan leaves, never past the budget', () => {
    for (const [src, threads] of [
      [file(8192), 1],
      [file(8192), 2],
      [file(40000), 1],
      [file(40000, false), 1],
      [file(100000, false), 2],
    ] as const) {
      const plan = planOf(src);
      const m = memoryPlan(src, plan, threads);
      const held = keptMemoryBytes(src, plan, threads, true);
      expect(held).toBeGreaterThanOrEqual(0);
      const used = BASE_BYTES + heatmapBytes(plan) + m.threads * (m.cacheBytes + keptWriteBytes(src, plan)) + (m.threads - 1) * WORKER_BYTES;
      expect(used + held + (held > 0 ? HELD_HEADROOM_BYTES : 0)).toBeLessThanOrEqual(MEMORY_BUDGET_BYTES);
    }
    // The 64-Mpx no-overview COG on one thread: room for about half its 256 decoded 512² blocks (201 MB), the budget's last 64 MB left free.
    const cog = file(8192);
    const held = keptMemoryBytes(cog, planOf(cog), 1, true);
    expect(held).toBeGreaterThan(90 << 20);
    expect(held).toBeLessThan(8192 * 8192 * 3);
    // A second thread's cache and heap come first; a thread that scans no rows holds none (the workers' blocks are in the file).
    expect(keptMemoryBytes(cog, planOf(cog), 2, true)).toBeLessThan(held);
    expect(keptMemoryBytes(file(40000), planOf(file(40000)), 2, false)).toBe(0);
    // Nothing is kept when the first stage reads an overview.
    const withOverview = { ...cog, levels: [1, 2, 4].map((f) => ({ width: 8192 / f, height: 8192 / f, scaleX: f, scaleY: f })) } as unknown as GeoTiffSource;
    expect(keptMemoryBytes(withOverview, planOf(withOverview), 1, true)).toBe(0);
  });

  it('gives a striped LZW, deflate, ZSTD or uncompressed file left to one thread a thread decoding strips, when more were asked for and its memory fits', () => {
    const striped = file(40000, false);
    const plan = planOf(striped);
    expect(stripThreadFits(striped, plan, 2, 2)).toBe(true);
    for (const compression of [1, 8, 32946, 50000]) {
      const other = { ...striped, layout: { ...striped.layout, compression } } as unknown as GeoTiffSource;
      expect(stripThreadFits(other, plan, 2, 2)).toBe(true);
    }
    // Not strips of more than half a band's rows (each read alone: nothing to share), nor PackBits (decoded here only).
    expect(stripThreadFits({ ...striped, layout: { ...striped.layout, blockHeight: 64 } } as unknown as GeoTiffSource, plan, 2, 2)).toBe(false);
    expect(stripThreadFits({ ...striped, layout: { ...striped.layout, blockHeight: 16 } } as unknown as GeoTiffSource, plan, 2, 2)).toBe(true);
    expect(stripThreadFits({ ...striped, layout: { ...striped.layout, compression: 32773 } } as unknown as GeoTiffSource, plan, 2, 2)).toBe(false);
    expect(BASE_BYTES + heatmapBytes(plan) + memoryPlan(striped, plan, 2).cacheBytes + keptWriteBytes(striped, plan) + STRIP_THREAD_BYTES).toBeLessThanOrEqual(
      MEMORY_BUDGET_BYTES,
    );
    // One thread asked for, one core, a tiled file (its threads scan), or a striped file so wide its cache takes the rest.
    expect(stripThreadFits(striped, plan, 1, 2)).toBe(false);
    expect(stripThreadFits(striped, plan, 2, 1)).toBe(false);
    expect(stripThreadFits(file(40000), planOf(file(40000)), 2, 2)).toBe(false);
    expect(stripThreadFits(file(100000, false), planOf(file(100000, false)), 2, 2)).toBe(false);
  });

  it("leaves room in both stages for the threads beside a striped file's one scanning thread: the strip thread, then the second stage's", () => {
    const striped = file(40000, false);
    const plan = planOf(striped);
    const m = memoryPlan(striped, plan, 2);
    expect(m.threads).toBe(1);
    expect(stripThreadFits(striped, plan, 2, 2)).toBe(true);
    expect(secondStageThreadsFit(plan, 2, 2)).toBe(true);
    const held = keptMemoryBytes(striped, plan, 1, true, { strips: true, secondStage: true });
    // The first stage: base, heatmap, one tile row of strips, kept writes, the strip thread; the second: base, heatmap, its threads.
    const first = BASE_BYTES + heatmapBytes(plan) + m.cacheBytes + keptWriteBytes(striped, plan) + STRIP_THREAD_BYTES;
    const second = BASE_BYTES + heatmapBytes(plan) + SECOND_STAGE_THREADS_BYTES;
    expect(Math.max(first, second) + held + (held > 0 ? HELD_HEADROOM_BYTES : 0)).toBeLessThanOrEqual(MEMORY_BUDGET_BYTES);
    // With a validity byte a pixel (alpha) too: its band cache is a third larger, and both threads still fit.
    const alpha = file(40000, false, 'alpha');
    expect(cacheBytesFor(alpha, planOf(alpha))).toBe(Math.ceil((cacheBytesFor(striped, plan) * 4) / 3));
    expect(stripThreadFits(alpha, planOf(alpha), 2, 2)).toBe(true);
    expect(secondStageThreadsFit(planOf(alpha), 2, 2)).toBe(true);
    // Without the strip thread counted, the file without validity bytes would hold ~21 MB of blocks beside it.
    expect(keptMemoryBytes(striped, planOf(striped), 1, true)).toBeGreaterThan(16 << 20);
    expect(keptMemoryBytes(striped, planOf(striped), 1, true, { strips: true, secondStage: true })).toBe(0);
    // A 64-Mpx file on one thread gives its held blocks to the second stage's threads when it gets them.
    const small = file(8192);
    const alone = keptMemoryBytes(small, planOf(small), 1, true);
    const widened = keptMemoryBytes(small, planOf(small), 1, true, { secondStage: true });
    expect(widened).toBeLessThan(alone);
    expect(widened).toBeGreaterThan(0);
    // One thread asked for, or one core: the second stage stays on one models' thread.
    expect(secondStageThreadsFit(plan, 1, 2)).toBe(false);
    expect(secondStageThreadsFit(plan, 2, 1)).toBe(false);
  });

  it('leaves every row to worker threads only on jobs of 1 000 Mpx or more, with two cores or more', () => {
    expect(leaveRowsToWorkers([{ mpx: 1600 }], 2)).toBe(true);
    expect(leaveRowsToWorkers([{ mpx: 600 }, { mpx: 400 }], 2)).toBe(true);
    expect(leaveRowsToWorkers([{ mpx: 600 }], 2)).toBe(false);
    expect(leaveRowsToWorkers([{ mpx: 1600 }], 1)).toBe(false);
  });

  it('counts the same heatmap and footprint memory at 1.6 and 10 Gpx: its pages past the cache wait on disk', () => {
    const held = (side: number) => heatmapBytes(planOf(file(side)));
    expect(held(40000)).toBeLessThanOrEqual(HEATMAP_CACHE_BYTES + FOOTPRINT_CACHE_BYTES);
    expect(held(40000)).toBeGreaterThan((HEATMAP_CACHE_BYTES + FOOTPRINT_CACHE_BYTES) * 0.99);
    expect(held(100000)).toBe(held(40000));
    // Whole in memory they were 8 bytes a cell: 89 MB at 40 000², 556 MB at 100 000².
    expect(planOf(file(100000)).heatWidth * planOf(file(100000)).heatHeight * 8).toBeGreaterThan(550e6);
  });
});
