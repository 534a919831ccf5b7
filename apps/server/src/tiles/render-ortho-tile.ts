import type { GeoTiffSource } from '@tiandi/tiles/node';
import type { Transformer } from '@tiandi/geo';
import { mercatorToLonLat, tileBoundsMercator } from './tile-math';

const TILE_PX = 256;
const GRID_STEP = 16;
/** Largest intermediate raster read for one tile (per side). */
const MAX_READ_PX = 768;

/**
 * Renders XYZ tile z/x/y of an orthophoto through the tiles package's windowed reader: the tile's
 * footprint is mapped into image pixels (reprojection by a 17 × 17 grid of exact transforms,
 * bilinear between), that pixel box is read once — area-averaged from the best overview, with the
 * reader's block cache, decoders and valid-data mask — at about the tile's resolution, and each tile
 * pixel takes its nearest sample. Returns RGBA, or null when nothing is visible.
 */
export async function renderOrthoTile(reader: GeoTiffSource, toSource: Transformer, z: number, x: number, y: number, signal?: AbortSignal): Promise<Uint8Array | null> {
  const [minX, minY, maxX, maxY] = tileBoundsMercator(z, x, y);
  const n = TILE_PX / GRID_STEP + 1;
  const [g0, g1, g2, g3, g4, g5] = reader.geoTransform;
  const det = g1 * g5 - g2 * g4;
  const gc = new Float64Array(n * n);
  const gr = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const [lon, lat] = mercatorToLonLat(minX + ((maxX - minX) * i) / (n - 1), maxY - ((maxY - minY) * j) / (n - 1));
      let c = NaN;
      let r = NaN;
      try {
        const [sx, sy] = toSource.forward([lon, lat]);
        const dx = sx - g0;
        const dy = sy - g3;
        c = (g5 * dx - g2 * dy) / det;
        r = (-g4 * dx + g1 * dy) / det;
      } catch {
        // Outside the projection: stays NaN (transparent).
      }
      gc[j * n + i] = c;
      gr[j * n + i] = r;
    }
  }
  let c0 = Infinity;
  let r0 = Infinity;
  let c1 = -Infinity;
  let r1 = -Infinity;
  for (let k = 0; k < gc.length; k++) {
    if (!Number.isFinite(gc[k])) continue;
    c0 = Math.min(c0, gc[k]);
    c1 = Math.max(c1, gc[k]);
    r0 = Math.min(r0, gr[k]);
    r1 = Math.max(r1, gr[k]);
  }
  const bx0 = Math.max(0, Math.floor(c0));
  const by0 = Math.max(0, Math.floor(r0));
  const bx1 = Math.min(reader.width, Math.ceil(c1));
  const by1 = Math.min(reader.height, Math.ceil(r1));
  if (!(bx1 > bx0 && by1 > by0)) return null;
  // Image pixels per tile pixel across the tile, to read at about the tile's resolution.
  const perPx = Math.max(1e-9, Math.hypot(gc[n - 1] - gc[0], gr[n - 1] - gr[0]) / TILE_PX);
  const ow = Math.max(1, Math.min(MAX_READ_PX, Math.ceil((bx1 - bx0) / perPx)));
  const oh = Math.max(1, Math.min(MAX_READ_PX, Math.ceil((by1 - by0) / perPx)));
  const raster = await reader.readWindow([bx0, by0, bx1, by1], ow, oh, signal);
  const sx = ow / (bx1 - bx0);
  const sy = oh / (by1 - by0);
  const out = new Uint8Array(TILE_PX * TILE_PX * 4);
  let visible = 0;
  for (let py = 0; py < TILE_PX; py++) {
    const gj = Math.min(n - 2, Math.floor(py / GRID_STEP));
    const fy = (py + 0.5) / GRID_STEP - gj;
    for (let px = 0; px < TILE_PX; px++) {
      const gi = Math.min(n - 2, Math.floor(px / GRID_STEP));
      const fx = (px + 0.5) / GRID_STEP - gi;
      const k = gj * n + gi;
      const c = (gc[k] * (1 - fx) + gc[k + 1] * fx) * (1 - fy) + (gc[k + n] * (1 - fx) + gc[k + n + 1] * fx) * fy;
      const r = (gr[k] * (1 - fx) + gr[k + 1] * fx) * (1 - fy) + (gr[k + n] * (1 - fx) + gr[k + n + 1] * fx) * fy;
      if (!(c >= bx0 && r >= by0 && c < bx1 && r < by1)) continue;
      const ic = Math.min(ow - 1, Math.floor((c - bx0) * sx));
      const ir = Math.min(oh - 1, Math.floor((r - by0) * sy));
      const s = ir * ow + ic;
      if (!raster.allValid && !raster.valid[s]) continue;
      const o = (py * TILE_PX + px) * 4;
      out[o] = raster.rgb[s * 3];
      out[o + 1] = raster.rgb[s * 3 + 1];
      out[o + 2] = raster.rgb[s * 3 + 2];
      out[o + 3] = 255;
      visible++;
    }
  }
  return visible > 0 ? out : null;
}
