import { decodesOffThread, JPEG_COMPRESSION } from '../read/codecs';
import { STRIP_BAND_ROWS, stripBandRows } from '../read/level-reader';
import { AWAY_COMPRESSIONS } from '../read/strip-away';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import { HeatmapAccumulator } from '../scan/heatmap-accumulator';
import { PagedCells } from '../scan/paged-cells';
import { snapWhole, type ScanPlan } from '../scan/scan-plan';

/** The resolution level the reader uses for windows of fx × fy source pixels per output pixel (the coarsest at least as fine). */
function levelAt(src: GeoTiffSource, fx: number, fy: number) {
  let L = src.levels[0];
  for (const c of src.levels) if (c.scaleX <= fx * (1 + 1e-9) && c.scaleY <= fy * (1 + 1e-9) && c.width < L.width) L = c;
  return L;
}

/** The resolution level the reader will use for this plan (the coarsest at least as fine as the model grid). */
const levelFor = (src: GeoTiffSource, plan: ScanPlan) => levelAt(src, plan.fx, plan.fy);

/** A level's block size: its own when it has one (a level decoded smaller than the file's blocks), else the file's. */
const levelBlocks = (src: GeoTiffSource, L: GeoTiffSource['levels'][number]) => ({
  bw: L.blockWidth ?? src.layout.blockWidth,
  bh: L.blockHeight ?? src.layout.blockHeight,
});

/**
 * The level whose blocks a scan keeps (kept-blocks.ts), or undefined: the one its first stage decodes, when that is
 * the full image or the level decoded smaller for it (GeoTiffSource.scaleJpegLevel, blocks of their own size), not
 * an overview of the file.
 */
export function keptLevel(src: GeoTiffSource, plan: ScanPlan): GeoTiffSource['levels'][number] | undefined {
  const L = levelFor(src, plan);
  return L === src.levels[0] || L.blockWidth !== undefined ? L : undefined;
}

/**
 * The factor (2, 4 or 8) by which a scan should decode a JPEG file's blocks smaller for its first stage
 * (GeoTiffSource.scaleJpegLevel), or 0: the largest no coarser than the first stage's grid and, when a prefilter
 * runs (`prefilterGsdM`), than the prefilter's, so both read that level and no window before the verifier's
 * decodes a block at full size. 0 for other compressions, or when the file has a level that coarse already.
 */
export function jpegScaleFactor(src: GeoTiffSource, plan: ScanPlan, prefilterGsdM?: number): number {
  if (src.layout.compression !== JPEG_COMPRESSION || levelFor(src, plan) !== src.levels[0]) return 0;
  let most = Math.min(plan.fx, plan.fy);
  if (prefilterGsdM !== undefined) most = Math.min(most, prefilterGsdM / src.gsdM.x, prefilterGsdM / src.gsdM.y);
  for (const k of [8, 4, 2]) if (k <= most * (1 + 1e-9)) return k;
  return 0;
}

/** The most a scan keeps of one image's decoded level for a prefilter to read again (64 Mpx at 5 cm, its 2× overview: 64 MB). */
export const KEEP_LEVEL_BYTES = 96 << 20;

/**
 * Whether the first stage should keep every decoded block of the level it reads, because a prefilter at
 * `prefilterGsdM` reads its windows from that same level afterwards and the whole level fits in
 * {@link KEEP_LEVEL_BYTES}: then the prefilter decodes nothing again. Bytes to cache, or 0 when not worth it.
 */
export function keepLevelBytes(src: GeoTiffSource, plan: ScanPlan, prefilterGsdM: number): number {
  if (!src.layout.tiled) return 0;
  const L = levelFor(src, plan);
  const P = levelAt(src, prefilterGsdM / src.gsdM.x, prefilterGsdM / src.gsdM.y);
  if (P !== L) return 0;
  // RGB plus a validity byte per pixel, as decoded blocks are held.
  const { bw, bh } = levelBlocks(src, L);
  const bytes = Math.ceil(L.width / bw) * Math.ceil(L.height / bh) * bw * bh * 4;
  return bytes <= KEEP_LEVEL_BYTES ? bytes : 0;
}

/**
 * The factor of the reduced level a scan should build for a prefilter at `prefilterGsdM`, or 0: when the first
 * stage decodes full-resolution blocks (no overview as coarse as its own grid) and the prefilter reads at a
 * whole factor ≥ 2 of the file's GSD, no finer than the first stage, for which the file has no level of its
 * own. The first stage's decodes then build that level once (reduced-level.ts) and the prefilter decodes
 * nothing again; without it, it decoded most full-resolution blocks a second time.
 */
export function reducedLevelFactor(src: GeoTiffSource, plan: ScanPlan, prefilterGsdM: number): number {
  if (levelFor(src, plan) !== src.levels[0]) return 0;
  const kx = snapWhole(prefilterGsdM / src.gsdM.x);
  const ky = snapWhole(prefilterGsdM / src.gsdM.y);
  if (kx !== ky || !Number.isInteger(kx) || kx < 2 || kx > plan.fx * (1 + 1e-9)) return 0;
  return levelAt(src, kx, ky) === src.levels[0] ? kx : 0;
}

/**
 * Hands out tile rows to `runners` threads: each starts on a contiguous range of its own, so neighbouring rows
 * (which share file blocks) are read by one thread and their blocks decoded once, in that thread's cache; a
 * runner whose range is done takes rows from the end of the fullest remaining range, working backwards.
 */
export class RowRanges {
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];

  constructor(rows: number, runners: number) {
    for (let r = 0; r < runners; r++) {
      this.lo.push(Math.floor((r * rows) / runners));
      this.hi.push(Math.floor(((r + 1) * rows) / runners));
    }
  }

  /** The next row for runner `r`, or -1 when every row has been handed out. */
  claim(r: number): number {
    if (this.lo[r] < this.hi[r]) return this.lo[r]++;
    let best = -1;
    let most = 0;
    for (let q = 0; q < this.lo.length; q++) {
      if (this.hi[q] - this.lo[q] > most) {
        most = this.hi[q] - this.lo[q];
        best = q;
      }
    }
    return best < 0 ? -1 : --this.hi[best];
  }

  /** Rows not handed out yet. */
  remaining(): number {
    return this.lo.reduce((s, lo, q) => s + this.hi[q] - lo, 0);
  }
}

/**
 * Tile columns of a tiled file a thread scans down, tile row by tile row, before the next swath: the blocks a tile
 * row shares with the next one then stay in a cache of a swath's width, whatever the image's width (a cache of
 * whole block rows grew with it: 1.6 rows of a 40 000-px COG were 100 MB a thread, and still too few, so blocks
 * were decoded twice). Each swath edge decodes one column of blocks a second time: 1 in ~11 at 8 tiles (one
 * segment; the next unit's first segment is read ahead as a row's next segment was). 16 tiles (1 in ~20) took a
 * 1.6-Gpx tiled deflate scan with two threads to 606 MiB.
 */
export const SWATH_TILES = 8;

/** Tile columns per swath: {@link SWATH_TILES} in a tiled file; a striped file's bands span the image, so whole rows. */
export function swathTiles(src: GeoTiffSource, plan: ScanPlan): number {
  return src.layout.tiled ? Math.min(SWATH_TILES, plan.tilesAcross) : plan.tilesAcross;
}

/** A first stage's work, in the order threads take it: [ty, tx0, tx1], swath by swath, each top to bottom. */
export function scanUnits(plan: ScanPlan, swath: number): [number, number, number][] {
  const units: [number, number, number][] = [];
  for (let tx0 = 0; tx0 < plan.tilesAcross; tx0 += swath) {
    for (let ty = 0; ty < plan.tilesDown; ty++) units.push([ty, tx0, Math.min(plan.tilesAcross, tx0 + swath)]);
  }
  return units;
}

/** Bytes a decoded pixel is held in: RGB, and a validity byte when something can mark pixels invalid. */
const heldBytes = (src: GeoTiffSource) => (src.maskKind === 'none' ? 3 : 4);

/**
 * Per-thread block cache the first stage needs to decode each block once: the blocks under one swath's tile
 * row, the rows it shares with the next and one above (tiled), or one tile row of strips read in bands (striped), with a
 * quarter to spare for the segment read ahead.
 */
export function cacheBytesFor(src: GeoTiffSource, plan: ScanPlan): number {
  const px = heldBytes(src);
  if (src.layout.tiled) {
    const L = levelFor(src, plan);
    const { bw, bh } = levelBlocks(src, L);
    const swathPx = ((swathTiles(src, plan) - 1) * plan.tileStride + plan.tileSize) * (plan.fx / L.scaleX);
    const across = Math.min(Math.ceil(L.width / bw), Math.ceil(swathPx / bw) + 1);
    // One block row more than a tile row spans: the row above stays cached until the current row's scores ask for
    // the blocks under the second stage's windows (kept-blocks.ts), which reach up to half a window above the row.
    const down = Math.ceil((plan.tileSize * plan.fy) / L.scaleY / bh) + 2;
    return Math.max(16 << 20, Math.ceil(across * down * bw * bh * px * 1.25));
  }
  // No spare for strips: the next row's first window, read ahead, only evicts bands above the rows it shares.
  const rows = plan.tileSize * plan.fy + 2 * Math.max(src.layout.blockHeight, STRIP_BAND_ROWS);
  return Math.max(32 << 20, Math.ceil(rows * src.width * px));
}

/**
 * Peak resident memory a scan aims to stay under, whatever the image's size. Measured on a 1.6-Gpx COG without
 * overviews (bench/mem-probe.ts) before it was enforced: 440 MB with two threads; the floor is 600 MB.
 */
export const MEMORY_BUDGET_BYTES = 560 << 20;
/**
 * This process and its scanning thread, block cache and heatmap aside: Node, the modules, onnxruntime with the
 * models loaded, region and decode buffers, garbage not yet collected (290 MB at 64 Mpx with a 47-MB cache; a
 * 1.6-Gpx striped file with alpha peaked at 624 MB with a 166-MB cache and an 89-MB heatmap, so about 370 MB at
 * that size: mem-probe, /usr/bin/time). Was 250 MB while the heatmap was whole in memory; raised when it was
 * paged so the memory it freed lowers the peak instead of buying a second thread of strips.
 */
export const BASE_BYTES = 340 << 20;
/** Each worker thread, block cache aside: its own Node heap, onnxruntime session and buffers. */
export const WORKER_BYTES = 60 << 20;

/**
 * Kept blocks (kept-blocks.ts) a scanning thread may hold while they are written on the thread pool: enough that a
 * burst of writes (a row's blocks under hot cells) does not stop the thread, few enough for the plan to afford.
 */
export const KEPT_WRITES_IN_FLIGHT = 4;

/**
 * The most a scanning thread holds of kept blocks being written, whatever their size: a record of a 40 000-px file's
 * 256-row strips is 41 MB, and four of them (164 MB) left its block cache a third of the strips a tile row spans, so
 * each window decoded them again (a 160-Mpx cut: 94 s, 86 of them the kernel copying strips re-read, against 9 s).
 */
export const KEPT_WRITES_BYTES = 32 << 20;

/**
 * Bytes each scanning thread holds for kept blocks being written, when the scan keeps blocks (its first stage reads
 * full-resolution blocks): {@link KEPT_WRITES_IN_FLIGHT} records of the kept file (a block, or a band of strips,
 * with a validity byte a pixel), as many whole records as fit {@link KEPT_WRITES_BYTES}, else 0: records larger than
 * that are written at once, on the scanning thread (kept-blocks.ts).
 */
export function keptWriteBytes(src: GeoTiffSource, plan: ScanPlan): number {
  const L = keptLevel(src, plan);
  if (!L) return 0;
  const { bw, bh } = levelBlocks(src, L);
  const rows = src.layout.tiled ? bh : stripBandRows(bh);
  const record = bw * rows * 4;
  return Math.min(KEPT_WRITES_IN_FLIGHT, Math.floor(KEPT_WRITES_BYTES / record)) * record;
}

/**
 * Memory for the heatmap's pages (sums, weights, flags; tracing's labels later take a seventh more, when blocks
 * are freed): the rest of the heatmap waits on disk (paged-cells.ts). Whole in memory it was 7 bytes a cell,
 * 89 MB at 1.6 Gpx, 1.1 GB at 20 Gpx.
 */
export const HEATMAP_CACHE_BYTES = 16 << 20;

/** Memory for the footprint grid's pages (a byte a cell, as many cells as the heatmap: 139 MB at 20 Gpx whole). */
export const FOOTPRINT_CACHE_BYTES = 4 << 20;

/** What the first stage holds in memory for the whole image: the heatmap's and the footprint grid's pages in memory. */
export function heatmapBytes(plan: ScanPlan): number {
  return (
    HeatmapAccumulator.memoryBytes(plan, HEATMAP_CACHE_BYTES) +
    PagedCells.cacheBytesFor(1, plan.footWidth, plan.footHeight, { cacheBytes: FOOTPRINT_CACHE_BYTES })
  );
}

/**
 * The least block cache a thread scanning a tiled file can do with and still decode each block once: without the
 * quarter {@link cacheBytesFor} keeps to spare for the segment read ahead (a block of it may then be decoded
 * twice at a swath's edge). A striped file's cache has no spare.
 */
export function leastCacheBytesFor(src: GeoTiffSource, plan: ScanPlan): number {
  const want = cacheBytesFor(src, plan);
  return src.layout.tiled ? Math.max(16 << 20, Math.ceil(want / 1.25)) : want;
}

/**
 * Threads and per-thread block cache that fit the memory budget. `here`: this thread scans rows too (it and
 * `threads - 1` worker threads hold a cache each); otherwise `threads` worker threads do, and this thread's
 * cache stays empty during the first stage. As many threads as asked while every thread's cache fits — the
 * spare quarter of a tiled file's cache gives way first, to the threads' heaps — else fewer (a wide striped
 * file: one tile row of strips is 170 MB at 40 000 px), and at the last one thread with the cache that is left
 * (blocks may then be decoded twice, but memory stays bounded). Each thread's kept blocks being written
 * ({@link keptWriteBytes}) come out of what is left for its cache.
 */
export function memoryPlan(
  src: GeoTiffSource,
  plan: ScanPlan,
  threads: number,
  here = true,
  budget = MEMORY_BUDGET_BYTES,
): { threads: number; cacheBytes: number } {
  const want = cacheBytesFor(src, plan);
  const least = leastCacheBytesFor(src, plan);
  const free = budget - BASE_BYTES - heatmapBytes(plan);
  const writes = keptWriteBytes(src, plan);
  for (let t = Math.max(1, threads); t > 1; t--) {
    const each = Math.min(want, Math.floor((free - (here ? t - 1 : t) * WORKER_BYTES) / t) - writes);
    if (each >= least) return { threads: t, cacheBytes: each };
  }
  return { threads: 1, cacheBytes: Math.max(16 << 20, Math.min(want, free - (here ? 0 : WORKER_BYTES) - writes)) };
}

/** Threads a scan runs beside its scanning ones that the blocks it holds in memory must leave room for. */
export interface ThreadsAside {
  /** The strip thread, through the first stage ({@link STRIP_THREAD_BYTES}). */
  strips?: boolean;
  /** A second models' thread and the heatmap's thread, through the second stage ({@link SECOND_STAGE_THREADS_BYTES}). */
  secondStage?: boolean;
}

/**
 * Bytes of kept blocks (kept-blocks.ts) the scanning thread may hold in memory as decoded rather than write to the
 * kept file and read back: what the memory budget leaves, less {@link HELD_HEADROOM_BYTES}, in the stage that needs
 * more: the first (the plan's base, heatmap, every thread's block cache and kept writes, the worker threads, the
 * strip thread) or the second (base, heatmap and its own threads, once the block caches are freed; the held blocks stay
 * until it ends). About 100 MB for a 64-Mpx file on one thread; 0 when this thread scans no rows (`here` false: its
 * second stage reads what the worker threads kept, in the file) or the scan keeps no blocks. Past it blocks go to
 * the file, so memory stays bounded whatever the image's size.
 */
export function keptMemoryBytes(
  src: GeoTiffSource,
  plan: ScanPlan,
  threads: number,
  here: boolean,
  aside: ThreadsAside = {},
  budget = MEMORY_BUDGET_BYTES,
): number {
  if (!here || !keptLevel(src, plan)) return 0;
  const m = memoryPlan(src, plan, threads, here, budget);
  const first =
    BASE_BYTES +
    heatmapBytes(plan) +
    m.threads * (m.cacheBytes + keptWriteBytes(src, plan)) +
    (m.threads - 1) * WORKER_BYTES +
    (aside.strips ? STRIP_THREAD_BYTES + stripsAhead(src, plan, budget) * aheadBandBytes(src) : 0);
  const second = BASE_BYTES + heatmapBytes(plan) + (aside.secondStage ? SECOND_STAGE_THREADS_BYTES : 0);
  return Math.max(0, budget - Math.max(first, second) - HELD_HEADROOM_BYTES);
}

/**
 * Memory of a long job's second-stage threads: a second models' thread with the verifier's and prefilter's sessions
 * loaded and scoring (model-pool.ts: one such thread measured +79 MB RSS, two +136) and the thread writing the
 * heatmap (heatmap-thread.ts, ~25 MB).
 */
export const SECOND_STAGE_THREADS_BYTES = 88 << 20;

/**
 * Whether a job whose rows the memory plan left to this thread alone (a wide striped file: its tile row of strips
 * leaves room for one scanning thread) still runs its second stage on two models' threads, writing its heatmap on a
 * thread of its own, as a job whose worker threads scanned does: when several threads were asked for (or chosen for
 * the job's size), a second core is there, and those threads fit the budget once the first stage's block cache is
 * freed. The blocks this thread holds for the second stage give way to them ({@link keptMemoryBytes}).
 */
export function secondStageThreadsFit(plan: ScanPlan, asked: number, cores: number, budget = MEMORY_BUDGET_BYTES): boolean {
  if (asked < 2 || cores < 2) return false;
  return BASE_BYTES + heatmapBytes(plan) + SECOND_STAGE_THREADS_BYTES + HELD_HEADROOM_BYTES <= budget;
}

/**
 * Part of the budget held blocks never take: the plan's base is an estimate, and a 1.6-Gpx striped LZW file with
 * alpha peaked at 571-594 MB (34 MB over the budget) while blocks filled all that was left; the floor is 600.
 */
export const HELD_HEADROOM_BYTES = 64 << 20;

/** Memory of the strip thread (lzw-thread.ts): its Node heap, and the strips of the three bands at most it shares (read, decoded and converted there). */
export const STRIP_THREAD_BYTES = 32 << 20;

/**
 * Whether a striped file that the plan leaves to one thread (a tile row of wide strips fills the memory a second
 * scanning thread would need) gets a thread decoding most of each band's strips (LZW, deflate or uncompressed, with
 * their predictor and conversion to RGB: read/strip-away.ts): when more threads were asked for (`asked`), a core is
 * there for it, and the plan has its memory left. Decoding was about half of that one thread's work, the second core
 * mostly idle.
 */
export function stripThreadFits(src: GeoTiffSource, plan: ScanPlan, asked: number, cores: number): boolean {
  if (src.layout.tiled || !AWAY_COMPRESSIONS.has(src.layout.compression) || asked < 2 || cores < 2) return false;
  // Strips of more than half a band's rows are read one a block, not in bands: nothing to share.
  if (src.layout.blockHeight > STRIP_BAND_ROWS / 2) return false;
  const m = memoryPlan(src, plan, asked);
  if (m.threads > 1) return false;
  return oneThreadAndStripsBytes(src, plan, m.cacheBytes) <= MEMORY_BUDGET_BYTES;
}

/** The first stage's memory with one scanning thread (a block cache of `cacheBytes`) and the strip thread, bands ahead aside. */
const oneThreadAndStripsBytes = (src: GeoTiffSource, plan: ScanPlan, cacheBytes: number) =>
  BASE_BYTES + heatmapBytes(plan) + cacheBytes + keptWriteBytes(src, plan) + STRIP_THREAD_BYTES;

/** Bands a strip thread decodes ahead of those the scanning thread asked for, at most (level-reader's `aheadBands`). */
export const STRIP_AHEAD_BANDS = 12;

/** Bytes a band decoded ahead holds until asked for: its shared RGB (and validity) arrays, a band of strips at most 32 rows. */
const aheadBandBytes = (src: GeoTiffSource) => src.width * STRIP_BAND_ROWS * heldBytes(src);

/**
 * Bands the strip thread decodes ahead (level-reader's readAhead: the next tile row's, while the scanning thread works
 * on this row's windows, its bands all cached; the thread idled through that before) within what the budget leaves
 * beside one scanning thread and the strip thread: 12 at most, ~44 MB on a 40 000-px striped file.
 */
export function stripsAhead(src: GeoTiffSource, plan: ScanPlan, budget = MEMORY_BUDGET_BYTES): number {
  const m = memoryPlan(src, plan, 1, true, budget);
  const left = budget - oneThreadAndStripsBytes(src, plan, m.cacheBytes);
  return Math.max(0, Math.min(STRIP_AHEAD_BANDS, Math.floor(left / aheadBandBytes(src))));
}

/** Megapixels of scanning-thread work (off-thread-decoded megapixels count a quarter) from which worker threads pay. */
export const WORKERS_FROM_MPX = 128;

/**
 * Threads a scan uses when not told: this one alone, or one per core (this one plus worker threads). A worker
 * costs most of a second of a core to start (its own onnxruntime, decoders and block cache) and only pays for
 * it on long jobs. JPEG (and WebP) blocks already decode on the thread pool beside the scanning thread, so a JPEG file needs
 * a longer job for the worker to pay than a deflate or LZW one, whose blocks decode on the thread that reads them.
 * Measured on 2 cores (first stage, scan-once e2e-first): JPEG COG 268 Mpx 3.45 s alone, 4.12 s with a worker;
 * JPEG BigTIFF 1.6 Gpx 16.4 s alone, 13.7 s with one; tiled deflate 268 Mpx 3.74 s alone, 3.28 s with one;
 * tiled deflate and striped LZW at 64 Mpx the same wall time either way, a worker spending 1.4 CPU-s more.
 * Read by a fractional factor (`fractional`: a 10-cm file, 0.10003 m on the ground, read at 1.5004×), the scanning
 * thread's resampling outweighs the decode, and such a file counts whole: a 240-Mpx REAL 10-cm JPEG COG took 25.6 s
 * alone (156 % CPU) and 21.4 s with a worker (183 %), the same outputs; 240 Mpx of 5-cm JPEG (a 3× box) took the
 * same time either way (tiled 5.91-5.95 s alone, 5.96-6.17 s with one).
 */
export function defaultThreads(images: ReadonlyArray<{ mpx: number; compression: number; fractional?: boolean }>, cores: number): number {
  const work = images.reduce((s, i) => s + (decodesOffThread(i.compression) && !i.fractional ? i.mpx / 4 : i.mpx), 0);
  return work >= WORKERS_FROM_MPX ? Math.max(1, cores) : 1;
}

/** Megapixels of a job from which this thread leaves every tile row to worker threads (one per core) when not told. */
export const ROWS_TO_WORKERS_FROM_MPX = 1000;

/**
 * Whether this thread should only hand out rows and take their results, the worker threads (one per core) scanning
 * them all. On a 1.6-Gpx JPEG COG without overviews, this thread scanning rows beside one worker ran at 100 % while
 * the worker waited for it (first stage ~103 % CPU): its share of the rows, the heatmap and the collector kept it
 * busy. Two workers and this thread coordinating took the first stage from 29.0 to 23.1 s. A worker costs most of
 * a second to start, which this thread no longer hides with rows of its own: only for jobs of tens of seconds.
 */
export function leaveRowsToWorkers(images: ReadonlyArray<{ mpx: number }>, cores: number): boolean {
  return cores >= 2 && images.reduce((s, i) => s + i.mpx, 0) >= ROWS_TO_WORKERS_FROM_MPX;
}
