import type { RasterLevel, RasterSource } from './raster-source';
import { renderOrthoTile } from './render-ortho-tile';
import { ReprojectionGrid, TILE_PX } from './reprojection-grid';
import { boxesOverlap, tileBoundsLonLat } from './tile-math';

export { TILE_PX } from './reprojection-grid';
/** Refuse to decode windows larger than this many pixels for one tile. */
const MAX_WINDOW_PX = 4096 * 4096;

/**
 * Renders XYZ tile z/x/y of a raster source as 256×256 RGBA: an orthophoto through the tiles package's
 * windowed reader ({@link renderOrthoTile}), a heatmap's values through the colour ramp, reprojected to Web
 * Mercator by inverse mapping (nearest neighbour, {@link ReprojectionGrid}) from the best overview level.
 * Returns null when the tile has no visible pixel (outside the image, or all nodata).
 */
export async function renderTile(src: RasterSource, z: number, x: number, y: number, signal?: AbortSignal): Promise<Uint8Array | null> {
  if (!boxesOverlap(tileBoundsLonLat(z, x, y), src.boundsLonLat)) return null;
  if (src.kind === 'ortho') return renderOrthoTile(src.reader, src.toSource, z, x, y, signal);
  // Grid points in the source CRS.
  const grid = new ReprojectionGrid(src.toSource, z, x, y);
  const { gx, n } = grid;
  // Needed source resolution: CRS units per output pixel across the tile.
  const spanX = Math.abs(gx[n - 1] - gx[0]) || Math.abs(gx[n * n - 1] - gx[n * (n - 1)]);
  const needRes = spanX / TILE_PX;
  const level = pickLevel(src.levels, needRes);

  // Window (in level pixels) covering every grid point (rows count down from originY).
  const [minX, minY, maxX, maxY] = grid.bounds();
  const wx0 = Math.max(0, Math.floor((minX - src.originX) / level.resX) - 1);
  const wy0 = Math.max(0, Math.floor((src.originY - maxY) / level.resY) - 1);
  const wx1 = Math.min(level.width, Math.ceil((maxX - src.originX) / level.resX) + 1);
  const wy1 = Math.min(level.height, Math.ceil((src.originY - minY) / level.resY) + 1);
  if (!(wx1 > wx0 && wy1 > wy0)) return null;
  const ww = wx1 - wx0;
  const wh = wy1 - wy0;
  if (ww * wh > MAX_WINDOW_PX) return null;

  const raster = await src.reader.readSamples(level.index, [wx0, wy0, wx1, wy1], signal);
  const bands = src.bands;
  const out = new Uint8Array(TILE_PX * TILE_PX * 4);
  let visible = 0;
  grid.forEachPixel((px, py, sx, sy) => {
    const c = Math.floor((sx - src.originX) / level.resX) - wx0;
    const r = Math.floor((src.originY - sy) / level.resY) - wy0;
    if (c < 0 || r < 0 || c >= ww || r >= wh) return;
    const s = (r * ww + c) * bands;
    const o = (py * TILE_PX + px) * 4;
    const v = raster[s];
    if (v === src.nodata || !Number.isFinite(v)) return;
    if (heatColour(v / src.scaleMax, out, o)) visible++;
  });
  return visible > 0 ? out : null;
}

/** The coarsest level that is still at least as fine as `needRes` (else the finest). */
export function pickLevel(levels: RasterLevel[], needRes: number): RasterLevel {
  let best = levels[0];
  for (const l of levels) if (l.resX <= needRes * 1.001) best = l;
  return best;
}

/**
 * The heatmap colour ramp: transparent below 0.3 (background), then yellow → orange → red with
 * rising opacity. Writes RGBA at `o`; returns whether the pixel is visible.
 */
export function heatColour(t: number, out: Uint8Array, o: number): boolean {
  if (!(t >= 0.3)) return false;
  const u = Math.min(1, (t - 0.3) / 0.7);
  out[o] = 255;
  out[o + 1] = Math.round(235 * (1 - u) + 20 * u);
  out[o + 2] = Math.round(60 * (1 - u));
  out[o + 3] = Math.round(90 + 150 * u);
  return true;
}
