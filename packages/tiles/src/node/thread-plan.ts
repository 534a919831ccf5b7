import { STRIP_BAND_ROWS } from '../read/level-reader';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { ScanPlan } from '../scan/scan-plan';

/** The resolution level the reader will use for this plan (the coarsest at least as fine as the model grid). */
function levelFor(src: GeoTiffSource, plan: ScanPlan) {
  let L = src.levels[0];
  for (const c of src.levels) if (c.scaleX <= plan.fx * (1 + 1e-9) && c.scaleY <= plan.fy * (1 + 1e-9) && c.width < L.width) L = c;
  return L;
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
