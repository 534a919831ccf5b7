import { PagedCells, type PagedCellsOptions } from './paged-cells';
import type { ScanPlan } from './scan-plan';

/** Where the heatmap's pages go when they leave memory: `<prefix>-sum.bin` etc., and the bytes its pages may take in memory. */
export interface HeatmapStore {
  pathPrefix: string;
  cacheBytes: number;
}

/** Bytes a heatmap cell takes: uint32 sum, uint16 weight, uint8 validity. */
const CELL_BYTES = 7;
const channels = (store: HeatmapStore | undefined, name: string, bytesPerCell: number) =>
  store ? { path: `${store.pathPrefix}-${name}.bin`, cacheBytes: (store.cacheBytes * bytesPerCell) / CELL_BYTES } : {};

/**
 * Stitches per-tile scores into one heatmap on the plan's cell grid. Segmentation tiles are blended with
 * pyramid weights (highest in the tile centre) so overlapping margins leave no seams; classifier scores
 * fill their tile's central cell. With a store, the grids are paged (paged-cells.ts): their memory is the
 * store's cache, whatever the image's size. Sums are whole numbers (each weighted score in units of 2^-unitBits,
 * {@link sumUnitBits}), so adding is exact and the heatmap the same whatever order the scanning threads finish their
 * rows in: float32 sums, rounded at each addition, made two runs of one build on one file differ by an ulp in 3 861
 * of 11.1 M cells. A unit of 2^-24 is far finer than any threshold, and under float32's resolution where scores matter.
 */
export class HeatmapAccumulator {
  /** Weighted scores added up, in units of 1 / {@link unit}. */
  private readonly sum: PagedCells<Uint32Array>;
  private readonly unit: number;
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
    this.sum = new PagedCells(Uint32Array, w, h, channels(store, 'sum', 4));
    this.unit = 2 ** sumUnitBits(plan);
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
        this.sum.put(tx, ty, this.sum.at(tx, ty) + Math.round(2 * scores[0] * this.unit));
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
          sums[i] = sums[i] + Math.round(w * scores[y * k + x] * this.unit);
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
   * The finished heatmap, paged as the sums were (sums, weights and flags are freed): float32 score per cell, NaN
   * where the cell is not valid data or was never scored. The caller closes it.
   */
  finish(): PagedCells<Float32Array> {
    const s = this.sum;
    const out = new PagedCells(Float32Array, this.plan.heatWidth, this.plan.heatHeight, channels(this.store, 'score', 4));
    for (let py = 0; py < s.pagesDown; py++) {
      for (let px = 0; px < s.pagesAcross; px++) {
        const o = out.page(px, py, true);
        const sums = s.page(px, py);
        const w = this.weight.page(px, py);
        const v = this.valid.page(px, py);
        for (let i = 0; i < o.length; i++) o[i] = v[i] && w[i] > 0 ? sums[i] / (this.unit * w[i]) : NaN;
      }
    }
    this.sum.close();
    this.weight.close();
    this.valid.close();
    return out;
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

/**
 * Bits below the unit of the heatmap's whole-number sums: 24 (a unit of 2^-24 of a score), fewer when so many tiles
 * overlap a cell that their weights (odd integers up to the tile's cells across, or 2 for a classifier's cell) times
 * 2^24 could pass 2^32.
 */
export function sumUnitBits(plan: Pick<ScanPlan, 'outCells' | 'tileStride' | 'cellWork'>): number {
  const k = plan.outCells;
  const across = k === 1 ? 1 : Math.ceil(k / Math.max(1, plan.tileStride / plan.cellWork));
  const maxWeight = k === 1 ? 2 : across * across * k;
  return Math.min(24, Math.floor(Math.log2(0xffffffff / maxWeight)));
}
