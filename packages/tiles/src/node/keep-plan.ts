import type { PixelBox } from '../read/open-geotiff-source';
import { cellToSourcePixel, type ScanPlan } from '../scan/scan-plan';
import type { RowResult } from '../scan/scan-row';

/**
 * Which full-resolution blocks a scan keeps decoded on disk (kept-blocks.ts) so that no block is decoded twice:
 * what a swath shares with the next one, the pixel digest's sample windows, and what the second stage reads
 * around cells the first stage scored at least its low threshold (only such cells can belong to a candidate).
 */

/** What the thread scanning rows needs to ask for blocks to keep (sent to worker threads with the plan). */
export interface KeepSpec {
  /** The temporary file of kept blocks. */
  path: string;
  /** Bytes each thread may keep in it (a share of the temp folder's room). */
  limitBytes: number;
  /** Bytes of kept blocks each thread may hold while they are written (the memory plan's `keptWriteBytes`). */
  inFlightBytes: number;
  /** Boxes asked for before the first row: swath edges and the digest's windows. */
  boxes: PixelBox[];
  /** A cell scoring at least this may be a candidate's (the low threshold, less a rounding margin). */
  hotScore: number;
  /** Half the extent, in source pixels, of the second stage's windows around a cell centre, with a margin. */
  halfWindowPx: number;
}

/** Blocks two neighbouring swaths of tile columns both read: the columns from the next swath's left edge to this one's right edge. */
export function swathEdgeBoxes(plan: ScanPlan, swath: number, height: number): PixelBox[] {
  const boxes: PixelBox[] = [];
  for (let tx1 = swath; tx1 < plan.tilesAcross; tx1 += swath) {
    const nextX0 = tx1 * plan.tileStride * plan.fx;
    const thisX1 = ((tx1 - 1) * plan.tileStride + plan.tileSize) * plan.fx;
    // A pixel either side for the resampling taps.
    boxes.push([nextX0 - 1, 0, thisX1 + 1, height]);
  }
  return boxes;
}

/** Source-pixel boxes around the hot cells of a row's tiles (one box a tile, round its hot cells' centres). */
export function hotCellBoxes(plan: ScanPlan, r: Pick<RowResult, 'ty' | 'tiles'>, hotScore: number, halfWindowPx: number): PixelBox[] {
  const k = plan.outCells;
  const step = k === 1 ? 1 : plan.tileStride / plan.cellWork;
  const boxes: PixelBox[] = [];
  for (const t of r.tiles) {
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (let y = 0; y < k; y++) {
      for (let x = 0; x < k; x++) {
        if (!(t.scores[y * k + x] >= hotScore)) continue;
        const [px, py] = cellToSourcePixel(plan, t.tx * step + x + 0.5, r.ty * step + y + 0.5);
        x0 = Math.min(x0, px);
        y0 = Math.min(y0, py);
        x1 = Math.max(x1, px);
        y1 = Math.max(y1, py);
      }
    }
    if (x0 <= x1) boxes.push([x0 - halfWindowPx, y0 - halfWindowPx, x1 + halfWindowPx, y1 + halfWindowPx]);
  }
  return boxes;
}

/** Half the largest second-stage window in source pixels, with two pixels to spare for snapping and resampling taps. */
export function halfWindowPx(stages: ReadonlyArray<{ input: { size: number }; gsd_m: number }>, gsdM: { x: number; y: number }): number {
  const g = Math.min(gsdM.x, gsdM.y);
  return Math.max(0, ...stages.map((c) => (c.input.size * c.gsd_m) / g / 2)) + 2;
}

/** The low threshold less a margin: a blended cell can only reach it if some tile scored it within float rounding of it. */
export const hotScoreFor = (low: number): number => low * (1 - 1e-3);
