import { STRIP_BAND_ROWS } from '../read/level-reader';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import { snapWhole, type ScanPlan } from '../scan/scan-plan';

/** The resolution level the reader uses for windows of fx × fy source pixels per output pixel (the coarsest at least as fine). */
function levelAt(src: GeoTiffSource, fx: number, fy: number) {
  let L = src.levels[0];
  for (const c of src.levels) if (c.scaleX <= fx * (1 + 1e-9) && c.scaleY <= fy * (1 + 1e-9) && c.width < L.width) L = c;
  return L;
}

/** The resolution level the reader will use for this plan (the coarsest at least as fine as the model grid). */
const levelFor = (src: GeoTiffSource, plan: ScanPlan) => levelAt(src, plan.fx, plan.fy);

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
  const bytes = Math.ceil(L.width / src.layout.blockWidth) * Math.ceil(L.height / src.layout.blockHeight) * src.layout.blockWidth * src.layout.blockHeight * 4;
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

/** Per-thread block cache: 1.6 block rows of the level read (tiled), or one tile row of strips, read in bands (striped). */
export function cacheBytesFor(src: GeoTiffSource, plan: ScanPlan): number {
  if (src.layout.tiled) {
    const L = levelFor(src, plan);
    const blockRow = Math.ceil(L.width / src.layout.blockWidth) * src.layout.blockWidth * src.layout.blockHeight * 3;
    return Math.min(128 << 20, Math.max(16 << 20, Math.ceil(1.6 * blockRow)));
  }
  const rows = plan.tileSize * plan.fy + 2 * Math.max(src.layout.blockHeight, STRIP_BAND_ROWS);
  return Math.max(32 << 20, Math.ceil(rows * src.width * 4 * 1.25));
}

/** TIFF Compression 7: JPEG, decoded by libjpeg-turbo (sharp) on the thread pool, not on the scanning thread. */
const JPEG = 7;

/** Megapixels of scanning-thread work (off-thread-decoded megapixels count a quarter) from which worker threads pay. */
export const WORKERS_FROM_MPX = 128;

/**
 * Threads a scan uses when not told: this one alone, or one per core (this one plus worker threads). A worker
 * costs most of a second of a core to start (its own onnxruntime, decoders and block cache) and only pays for
 * it on long jobs. JPEG blocks already decode on the thread pool beside the scanning thread, so a JPEG file needs
 * a longer job for the worker to pay than a deflate or LZW one, whose blocks decode on the thread that reads them.
 * Measured on 2 cores (first stage, scan-once e2e-first): JPEG COG 268 Mpx 3.45 s alone, 4.12 s with a worker;
 * JPEG BigTIFF 1.6 Gpx 16.4 s alone, 13.7 s with one; tiled deflate 268 Mpx 3.74 s alone, 3.28 s with one;
 * tiled deflate and striped LZW at 64 Mpx the same wall time either way, a worker spending 1.4 CPU-s more.
 */
export function defaultThreads(images: ReadonlyArray<{ mpx: number; compression: number }>, cores: number): number {
  const work = images.reduce((s, i) => s + (i.compression === JPEG ? i.mpx / 4 : i.mpx), 0);
  return work >= WORKERS_FROM_MPX ? Math.max(1, cores) : 1;
}
