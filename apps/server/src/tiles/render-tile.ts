import type { RasterLevel, RasterSource } from './raster-source';
import { renderOrthoTile } from './render-ortho-tile';
import { boxesOverlap, mercatorToLonLat, tileBoundsLonLat, tileBoundsMercator } from './tile-math';

/** Tile edge in pixels. */
export const TILE_PX = 256;
/** The reprojection grid: source coordinates are computed exactly every GRID_STEP pixels and interpolated between. */
const GRID_STEP = 16;
/** Refuse to decode windows larger than this many pixels for one tile. */
const MAX_WINDOW_PX = 4096 * 4096;

/**
 * Renders XYZ tile z/x/y of a raster source as 256×256 RGBA, reprojected to Web Mercator by
 * inverse mapping (nearest neighbour) from the best overview level. Returns null when the tile has
 * no visible pixel (outside the image, or all nodata).
 */
export async function renderTile(src: RasterSource, z: number, x: number, y: number, signal?: AbortSignal): Promise<Uint8Array | null> {
  if (!boxesOverlap(tileBoundsLonLat(z, x, y), src.boundsLonLat)) return null;
  if (src.kind === 'ortho' && src.reader) return renderOrthoTile(src.reader, src.toSource, z, x, y, signal);
  const [minX, minY, maxX, maxY] = tileBoundsMercator(z, x, y);
  const n = TILE_PX / GRID_STEP + 1;
  // Source CRS coordinates of the grid points (row-major, y down).
  const gx = new Float64Array(n * n);
  const gy = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const mx = minX + ((maxX - minX) * i) / (n - 1);
      const my = maxY - ((maxY - minY) * j) / (n - 1);
      const [lon, lat] = mercatorToLonLat(mx, my);
      let sx = NaN;
      let sy = NaN;
      try {
        [sx, sy] = src.toSource.forward([lon, lat]);
      } catch {
        // Outside the projection's domain: leave NaN, the pixel stays transparent.
      }
      gx[j * n + i] = sx;
      gy[j * n + i] = sy;
    }
  }
  // Needed source resolution: CRS units per output pixel across the tile.
  const spanX = Math.abs(gx[n - 1] - gx[0]) || Math.abs(gx[n * n - 1] - gx[n * (n - 1)]);
  const needRes = spanX / TILE_PX;
  const level = pickLevel(src.levels, needRes);

  // Window (in level pixels) covering every grid point.
  let c0 = Infinity;
  let r0 = Infinity;
  let c1 = -Infinity;
  let r1 = -Infinity;
  for (let k = 0; k < gx.length; k++) {
    if (!Number.isFinite(gx[k])) continue;
    const c = (gx[k] - src.originX) / level.resX;
    const r = (src.originY - gy[k]) / level.resY;
    c0 = Math.min(c0, c);
    c1 = Math.max(c1, c);
    r0 = Math.min(r0, r);
    r1 = Math.max(r1, r);
  }
  const wx0 = Math.max(0, Math.floor(c0) - 1);
  const wy0 = Math.max(0, Math.floor(r0) - 1);
  const wx1 = Math.min(level.width, Math.ceil(c1) + 1);
  const wy1 = Math.min(level.height, Math.ceil(r1) + 1);
  if (!(wx1 > wx0 && wy1 > wy0)) return null;
  const ww = wx1 - wx0;
  const wh = wy1 - wy0;
  if (ww * wh > MAX_WINDOW_PX) return null;

  const raster = (await level.image.readRasters({ window: [wx0, wy0, wx1, wy1], interleave: true, signal })) as unknown as ArrayLike<number>;
  const bands = src.bands;
  const out = new Uint8Array(TILE_PX * TILE_PX * 4);
  let visible = 0;
  for (let py = 0; py < TILE_PX; py++) {
    const gj = Math.min(n - 2, Math.floor(py / GRID_STEP));
    const fy = (py + 0.5) / GRID_STEP - gj;
    for (let px = 0; px < TILE_PX; px++) {
      const gi = Math.min(n - 2, Math.floor(px / GRID_STEP));
      const fx = (px + 0.5) / GRID_STEP - gi;
      const k00 = gj * n + gi;
      const sx = bilerp(gx[k00], gx[k00 + 1], gx[k00 + n], gx[k00 + n + 1], fx, fy);
      const sy = bilerp(gy[k00], gy[k00 + 1], gy[k00 + n], gy[k00 + n + 1], fx, fy);
      if (!Number.isFinite(sx) || !Number.isFinite(sy)) continue;
      const c = Math.floor((sx - src.originX) / level.resX) - wx0;
      const r = Math.floor((src.originY - sy) / level.resY) - wy0;
      if (c < 0 || r < 0 || c >= ww || r >= wh) continue;
      const s = (r * ww + c) * bands;
      const o = (py * TILE_PX + px) * 4;
      if (src.kind === 'heatmap') {
        const v = raster[s];
        if (v === src.nodata || !Number.isFinite(v)) continue;
        if (heatColour(v / src.scaleMax, out, o)) visible++;
      } else {
        const rr = raster[s];
        const g = bands >= 3 ? raster[s + 1] : rr;
        const b = bands >= 3 ? raster[s + 2] : rr;
        if (src.nodata !== null && rr === src.nodata && g === src.nodata && b === src.nodata) continue;
        const alpha = src.hasAlpha ? raster[s + bands - 1] : 255;
        if (alpha === 0) continue;
        const k = 255 / src.scaleMax;
        out[o] = clamp255(rr * k);
        out[o + 1] = clamp255(g * k);
        out[o + 2] = clamp255(b * k);
        out[o + 3] = src.hasAlpha ? clamp255(src.bitsPerSample > 8 ? alpha * k : alpha) : 255;
        visible++;
      }
    }
  }
  return visible > 0 ? out : null;
}

/** The coarsest level that is still at least as fine as `needRes` (else the finest). */
export function pickLevel(levels: RasterLevel[], needRes: number): RasterLevel {
  let best = levels[0];
  for (const l of levels) if (l.resX <= needRes * 1.001) best = l;
  return best;
}

function bilerp(a: number, b: number, c: number, d: number, fx: number, fy: number): number {
  return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

function clamp255(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
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
