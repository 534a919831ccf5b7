import { PagedCells, type PagedCellsOptions } from './paged-cells';
import type { ScanPlan } from './scan-plan';

/** Where the heatmap's pages go when they leave memory: `<prefix>-sum.bin` etc., and the bytes its pages may take in memory. */
export interface HeatmapStore {
  pathPrefix: string;
  cacheBytes: number;
}

/** Bytes a heatmap cell takes: float32 sum, uint16 weight, uint8 validity. */
const CELL_BYTES = 7;
const channels = (store: HeatmapStore | undefined, name: string, bytesPerCell: number) =>
  store ? { path: `${store.pathPrefix}-${name}.bin`, cacheBytes: (store.cacheBytes * bytesPerCell) / CELL_BYTES } : {};

/**
 * Stitches per-tile scores into one heatmap on the plan's cell grid. Segmentation tiles are blended with
 * pyramid weights (highest in the tile centre) so overlapping margins leave no seams; classifier scores
 * fill their tile's central cell. With a store, the grids are paged (paged-cells.ts): their memory is the
 * store's cache, whatever the image's size.
 */
export class HeatmapAccumulator {
  private readonly sum: PagedCells<Float32Array>;
  /** Blend weights ×2 (pyramid weights are half-integers), as integers to halve the memory. */
  private readonly weight: PagedCells<Uint16Array>;
  /** 1 where the cell is valid data (≥ half its working pixels valid). */
  private readonly valid: PagedCells<Uint8Array>;
  private readonly pyramid: Float32Array;

  constructor(
    readonly plan: ScanPlan,
    private readonly store?: HeatmapStore,
  ) {
    const { heatWidth: w, heatHeight: h } = plan;
    this.sum = new PagedCells(Float32Array, w, h, channels(store, 'sum', 4));
    this.weight = new PagedCells(Uint16Array, w, h, channels(store, 'weight', 2));
    this.valid = new PagedCells(Uint8Array, w, h, channels(store, 'valid', 1));
    const k = plan.outCells;
    this.pyramid = new Float32Array(k * k);
    for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) this.pyramid[y * k + x] = 2 * Math.min(x + 0.5, k - x - 0.5, y + 0.5, k - y - 0.5);
  }

  /** Bytes of memory the heatmap's pages take at most with a store of `cacheBytes` (at least two rows of pages each). */
  static memoryBytes(plan: ScanPlan, cacheBytes: number): number {
    const { heatWidth: w, heatHeight: h } = plan;
    return [4, 2, 1].reduce((s, b) => s + PagedCells.cacheBytesFor(b, w, h, { cacheBytes: (cacheBytes * b) / CELL_BYTES }), 0);
  }

  /** Where tracing pages its labels (a byte a cell) beside the heatmap: the same file prefix, a seventh of the cache. */
  labelsStore(): PagedCellsOptions {
    return channels(this.store, 'label', 1);
  }

  /** Adds the scores of tile (tx, ty): `outCells²` values, row-major. */
  addTile(tx: number, ty: number, scores: Float32Array): void {
    const p = this.plan;
    const k = p.outCells;
    if (k === 1) {
      if (tx < p.heatWidth && ty < p.heatHeight) {
        this.sum.put(tx, ty, this.sum.at(tx, ty) + 2 * scores[0]);
        this.weight.put(tx, ty, this.weight.at(tx, ty) + 2);
      }
      return;
    }
    const step = p.tileStride / p.cellWork;
    const cx0 = tx * step;
    const cy0 = ty * step;
    // Page by page, through the page arrays (both grids have the same pages): a look-up a cell, four a cell with
    // sums and weights, was ~50 ms of the scanning thread at 64 Mpx.
    const edge = this.sum.pageEdge;
    const xEnd = Math.min(k, p.heatWidth - cx0);
    for (let y = 0; y < k; y++) {
      const cy = cy0 + y;
      if (cy >= p.heatHeight) break;
      const row = (cy & (edge - 1)) * edge;
      for (let x = 0; x < xEnd; ) {
        const px = Math.floor((cx0 + x) / edge);
        const sums = this.sum.page(px, Math.floor(cy / edge), true);
        const weights = this.weight.page(px, Math.floor(cy / edge), true);
        const runEnd = Math.min(xEnd, (px + 1) * edge - cx0);
        for (; x < runEnd; x++) {
          const i = row + ((cx0 + x) & (edge - 1));
          const w = this.pyramid[y * k + x];
          sums[i] = sums[i] + w * scores[y * k + x];
          weights[i] = weights[i] + w;
        }
      }
    }
  }

  /** Marks cells valid from a row band of per-cell valid flags starting at cell row `cy0`. */
  setValidRows(cy0: number, rows: number, flags: Uint8Array): void {
    const w = this.plan.heatWidth;
    const edge = this.valid.pageEdge;
    for (let y = 0; y < rows; y++) {
      const cy = cy0 + y;
      if (cy < 0 || cy >= this.plan.heatHeight) continue;
      const row = (cy & (edge - 1)) * edge;
      for (let x0 = 0; x0 < w; x0 += edge) {
        const end = Math.min(w, x0 + edge);
        let x = x0;
        while (x < end && !flags[y * w + x]) x++;
        if (x === end) continue; // no valid cell: the page is neither loaded nor changed
        const page = this.valid.page(x0 / edge, Math.floor(cy / edge), true);
        for (; x < end; x++) if (flags[y * w + x]) page[row + x - x0] = 1;
      }
    }
  }

  /**
   * The finished heatmap, paged as the sums were (computed in their place; weights and flags are freed): score
   * per cell, NaN where the cell is not valid data or was never scored. The caller closes it.
   */
  finish(): PagedCells<Float32Array> {
    const s = this.sum;
    for (let py = 0; py < s.pagesDown; py++) {
      for (let px = 0; px < s.pagesAcross; px++) {
        const out = s.page(px, py, true);
        const w = this.weight.page(px, py);
        const v = this.valid.page(px, py);
        for (let i = 0; i < out.length; i++) out[i] = v[i] && w[i] > 0 ? out[i] / w[i] : NaN;
      }
    }
    this.weight.close();
    this.valid.close();
    return s;
  }

  /** The finished heatmap as one row-major array (small grids; a scan uses finish()). */
  scores(): Float32Array {
    const grid = this.finish();
    const out = grid.readRows(0, this.plan.heatHeight);
    grid.close();
    return out;
  }

  /** Frees the pages and removes their files (a scan that stops before finishing). */
  close(): void {
    this.sum.close();
    this.weight.close();
    this.valid.close();
  }
}
