import type { GeoTiffSource } from '@tiandi/tiles/node';
import type { Transformer } from '@tiandi/geo';
import { ReprojectionGrid, TILE_PX } from './reprojection-grid';

/** Largest intermediate raster read for one tile (per side). */
const MAX_READ_PX = 768;

/**
 * Renders XYZ tile z/x/y of an orthophoto through the tiles package's windowed reader: the tile's
 * footprint is mapped into image pixels ({@link ReprojectionGrid}), that pixel box is read once —
 * area-averaged from the best overview, with the reader's block cache, decoders and valid-data mask — at
 * about the tile's resolution, and each tile pixel takes its nearest sample. Returns RGBA, or null when
 * nothing is visible.
 */
export async function renderOrthoTile(
  reader: GeoTiffSource,
  toSource: Transformer,
  z: number,
  x: number,
  y: number,
  signal?: AbortSignal,
): Promise<Uint8Array | null> {
  const [g0, g1, g2, g3, g4, g5] = reader.geoTransform;
  const det = g1 * g5 - g2 * g4;
  // CRS → image column and row (the inverse of the geotransform).
  const grid = new ReprojectionGrid(toSource, z, x, y, (sx, sy) => {
    const dx = sx - g0;
    const dy = sy - g3;
    return [(g5 * dx - g2 * dy) / det, (-g4 * dx + g1 * dy) / det];
  });
  const [c0, r0, c1, r1] = grid.bounds();
  const bx0 = Math.max(0, Math.floor(c0));
  const by0 = Math.max(0, Math.floor(r0));
  const bx1 = Math.min(reader.width, Math.ceil(c1));
  const by1 = Math.min(reader.height, Math.ceil(r1));
  if (!(bx1 > bx0 && by1 > by0)) return null;
  // Image pixels per tile pixel across the tile, to read at about the tile's resolution.
  const { gx, gy, n } = grid;
  const perPx = Math.max(1e-9, Math.hypot(gx[n - 1] - gx[0], gy[n - 1] - gy[0]) / TILE_PX);
  const ow = Math.max(1, Math.min(MAX_READ_PX, Math.ceil((bx1 - bx0) / perPx)));
  const oh = Math.max(1, Math.min(MAX_READ_PX, Math.ceil((by1 - by0) / perPx)));
  const raster = await reader.readWindow([bx0, by0, bx1, by1], ow, oh, signal);
  const sx = ow / (bx1 - bx0);
  const sy = oh / (by1 - by0);
  const out = new Uint8Array(TILE_PX * TILE_PX * 4);
  let visible = 0;
  grid.forEachPixel((px, py, c, r) => {
    if (!(c >= bx0 && r >= by0 && c < bx1 && r < by1)) return;
    const ic = Math.min(ow - 1, Math.floor((c - bx0) * sx));
    const ir = Math.min(oh - 1, Math.floor((r - by0) * sy));
    const s = ir * ow + ic;
    if (!raster.allValid && !raster.valid[s]) return;
    const o = (py * TILE_PX + px) * 4;
    out[o] = raster.rgb[s * 3];
    out[o + 1] = raster.rgb[s * 3 + 1];
    out[o + 2] = raster.rgb[s * 3 + 2];
    out[o + 3] = 255;
    visible++;
  });
  return visible > 0 ? out : null;
}
