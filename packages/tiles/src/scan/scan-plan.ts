import type { ModelCard } from '../model/model-card';
import { TilesError } from '../errors';
import type { QualityThresholds } from '../quality/block-quality';

/** How one image is cut into model tiles and how the heatmap sits on the image grid. */
export interface ScanPlan {
  /** Source pixels per working pixel (working pixels are at the model's GSD). */
  fx: number;
  fy: number;
  workWidth: number;
  workHeight: number;
  tileSize: number;
  tileStride: number;
  tilesAcross: number;
  tilesDown: number;
  /** Heatmap cell edge in working pixels, and the working-pixel offset of cell (0, 0). */
  cellWork: number;
  cellOffsetWork: number;
  heatWidth: number;
  heatHeight: number;
  /** Model output cells per tile edge (segmentation: size/stride; classifier: 1). */
  outCells: number;
  /** Footprint grid: cell edge in working pixels (origin at working pixel 0), and its size. */
  footCellWork: number;
  footWidth: number;
  footHeight: number;
  /**
   * Imagery-quality thresholds each tile's stride block is judged by (blur, exposure, haze); a poor block's footprint
   * cells are marked 2 instead of 1, so they count as gaps. Absent: no quality check. Carried in the plan so worker
   * threads get it with the plan.
   */
  quality?: QualityThresholds;
}

/**
 * A ratio of source pixels within 0.2 % of a whole number (at least 1), snapped to it: a GSD error far below
 * what a model notices, and the common 1× and 2× cases then resample by copying or exact 2×2 averaging, or
 * read an overview as is.
 */
export function snapWhole(f: number): number {
  return Math.abs(f - Math.round(f)) <= 0.002 * f && Math.round(f) >= 1 ? Math.round(f) : f;
}

/**
 * Slack on a GSD limit (the first stage's 2 × and the verifier's): a GSD measured on the ground differs from the
 * nominal one by the projection's scale (0.10003 m for 0.1-m imagery in UTM away from the central meridian), so a
 * rounding difference never refuses imagery or switches a stage off; 1 % is far below what a model notices.
 */
export const GSD_LIMIT_SLACK = 1.01;

/** The coarsest GSD (m) the first stage accepts: twice the model's own. */
export const firstStageMaxGsdM = (card: Pick<ModelCard, 'gsd_m'>): number => 2 * card.gsd_m;

/** Why the first stage refuses imagery of this GSD (coarser than twice the model's, beyond the slack), or undefined. */
export function firstStageRefusal(card: Pick<ModelCard, 'gsd_m'>, gsdM: { x: number; y: number }): string | undefined {
  const coarse = Math.max(gsdM.x, gsdM.y);
  const limit = firstStageMaxGsdM(card);
  if (coarse <= limit * GSD_LIMIT_SLACK) return undefined;
  return `影像分辨率过粗 imagery GSD ${coarse.toFixed(3)} m is coarser than twice the model's ${card.gsd_m} m (limit ${limit.toFixed(3)} m): fly lower or use a model trained for ${coarse.toFixed(2)} m`;
}

/**
 * Plans a scan of a `width × height` image whose ground pixel size is `gsdM` under a model card.
 * @throws TilesError `TIANDI_E_GSD_TOO_COARSE` when the imagery is coarser than twice the model's GSD (beyond {@link GSD_LIMIT_SLACK}).
 */
export function scanPlan(width: number, height: number, gsdM: { x: number; y: number }, card: ModelCard, path = ''): ScanPlan {
  const fx = snapWhole(card.gsd_m / gsdM.x);
  const fy = snapWhole(card.gsd_m / gsdM.y);
  const refusal = firstStageRefusal(card, gsdM);
  if (refusal) throw new TilesError('TIANDI_E_GSD_TOO_COARSE', refusal, path);
  const workWidth = Math.max(1, Math.ceil(width / fx - 1e-6));
  const workHeight = Math.max(1, Math.ceil(height / fy - 1e-6));
  const S = card.input.size;
  const T = card.tile_stride;
  const tilesAcross = Math.max(1, Math.ceil((workWidth - S) / T) + 1);
  const tilesDown = Math.max(1, Math.ceil((workHeight - S) / T) + 1);
  const seg = card.task === 'segmentation';
  const cellWork = seg ? card.output.stride! : T;
  const cellOffsetWork = seg ? 0 : (S - T) / 2;
  const footCellWork = seg ? cellWork : 8;
  const heatWidth = seg ? Math.ceil(workWidth / cellWork) : tilesAcross;
  const heatHeight = seg ? Math.ceil(workHeight / cellWork) : tilesDown;
  return {
    fx,
    fy,
    workWidth,
    workHeight,
    tileSize: S,
    tileStride: T,
    tilesAcross,
    tilesDown,
    cellWork,
    cellOffsetWork,
    heatWidth,
    heatHeight,
    outCells: seg ? S / cellWork : 1,
    footCellWork,
    footWidth: Math.ceil(workWidth / footCellWork),
    footHeight: Math.ceil(workHeight / footCellWork),
  };
}

/** Source-pixel coordinates of a footprint cell corner. */
export function footCellToSourcePixel(plan: ScanPlan, cx: number, cy: number): [number, number] {
  return [cx * plan.footCellWork * plan.fx, cy * plan.footCellWork * plan.fy];
}

/** Source-pixel coordinates of a heatmap cell corner (cx, cy may be fractional). */
export function cellToSourcePixel(plan: ScanPlan, cx: number, cy: number): [number, number] {
  return [(plan.cellOffsetWork + cx * plan.cellWork) * plan.fx, (plan.cellOffsetWork + cy * plan.cellWork) * plan.fy];
}
