import { STRIP_BAND_ROWS } from '../read/level-reader';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { ScanPlan } from '../scan/scan-plan';

/** The resolution level the reader will use for this plan (the coarsest at least as fine as the model grid). */
function levelFor(src: GeoTiffSource, plan: ScanPlan) {
  let L = src.levels[0];
  for (const c of src.levels) if (c.scaleX <= plan.fx * (1 + 1e-9) && c.scaleY <= plan.fy * (1 + 1e-9) && c.width < L.width) L = c;
  return L;
}

/** Groups tile rows by the block row (of the level read) where they start: a thread claims a whole group. */
export function rowGroups(src: GeoTiffSource, plan: ScanPlan): (ty: number) => number {
  const L = levelFor(src, plan);
  const blockRowsSrc = Math.max(src.layout.blockHeight * L.scaleY, plan.tileSize * plan.fy);
  return (ty) => Math.floor((ty * plan.tileStride * plan.fy) / blockRowsSrc);
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
