import type { ScanPlan } from './scan-plan';

/**
 * Stitches per-tile scores into one heatmap on the plan's cell grid. Segmentation tiles are blended with
 * pyramid weights (highest in the tile centre) so overlapping margins leave no seams; classifier scores
 * fill their tile's central cell.
 */
export class HeatmapAccumulator {
  readonly sum: Float32Array;
  /** Blend weights ×2 (pyramid weights are half-integers), as integers to halve the memory. */
  private weight: Uint16Array;
  /** 1 where the cell is valid data (≥ half its working pixels valid). */
  readonly valid: Uint8Array;
  private readonly pyramid: Float32Array;

  constructor(readonly plan: ScanPlan) {
    const n = plan.heatWidth * plan.heatHeight;
    this.sum = new Float32Array(n);
    this.weight = new Uint16Array(n);
    this.valid = new Uint8Array(n);
    const k = plan.outCells;
    this.pyramid = new Float32Array(k * k);
    for (let y = 0; y < k; y++)
      for (let x = 0; x < k; x++) this.pyramid[y * k + x] = 2 * Math.min(x + 0.5, k - x - 0.5, y + 0.5, k - y - 0.5);
  }

  /** Adds the scores of tile (tx, ty): `outCells²` values, row-major. */
  addTile(tx: number, ty: number, scores: Float32Array): void {
    const p = this.plan;
    const k = p.outCells;
    if (k === 1) {
      if (tx < p.heatWidth && ty < p.heatHeight) {
        const i = ty * p.heatWidth + tx;
        this.sum[i] += 2 * scores[0];
        this.weight[i] += 2;
      }
      return;
    }
    const step = p.tileStride / p.cellWork;
    const cx0 = tx * step;
    const cy0 = ty * step;
    for (let y = 0; y < k; y++) {
      const cy = cy0 + y;
      if (cy >= p.heatHeight) break;
      for (let x = 0; x < k; x++) {
        const cx = cx0 + x;
        if (cx >= p.heatWidth) break;
        const w = this.pyramid[y * k + x];
        const i = cy * p.heatWidth + cx;
        this.sum[i] += w * scores[y * k + x];
        this.weight[i] += w;
      }
    }
  }

  /** Marks cells valid from a row band of per-cell valid flags starting at cell row `cy0`. */
  setValidRows(cy0: number, rows: number, flags: Uint8Array): void {
    const w = this.plan.heatWidth;
    for (let y = 0; y < rows; y++) {
      const cy = cy0 + y;
      if (cy < 0 || cy >= this.plan.heatHeight) continue;
      for (let x = 0; x < w; x++) if (flags[y * w + x]) this.valid[cy * w + x] = 1;
    }
  }

  /** The finished heatmap (computed in place of the sums): score per cell, NaN where the cell is not valid data or was never scored. */
  scores(): Float32Array {
    const out = this.sum;
    const w = this.weight;
    for (let i = 0; i < out.length; i++) out[i] = this.valid[i] && w[i] > 0 ? out[i] / w[i] : NaN;
    this.weight = new Uint16Array(0);
    return out;
  }
}
