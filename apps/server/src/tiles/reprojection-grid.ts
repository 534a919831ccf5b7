import type { Transformer } from '@tiandi/geo';
import { mercatorToLonLat, tileBoundsMercator } from './tile-math';

/** Tile edge in pixels. */
export const TILE_PX = 256;
/** Exact transforms every GRID_STEP tile pixels; bilinear between (a 17 × 17 grid per tile). */
const GRID_STEP = 16;

/**
 * Where the pixels of XYZ tile z/x/y fall in a source raster: `toSource` (WGS 84 → the raster's CRS) is
 * evaluated exactly on a 17 × 17 grid over the tile, then `toGrid` (an affine map, e.g. CRS → image pixels;
 * default none) at each grid point; pixels in between are interpolated bilinearly. 289 transforms instead
 * of 65 536 per tile, with errors far below a pixel at the zooms tiles are drawn. Grid points outside the
 * projection's domain are NaN, and so are the pixels that use them.
 */
export class ReprojectionGrid {
  /** Grid points per side. */
  readonly n = TILE_PX / GRID_STEP + 1;
  /** Grid point coordinates, row-major from the tile's north-west corner. */
  readonly gx: Float64Array;
  readonly gy: Float64Array;

  constructor(toSource: Transformer, z: number, x: number, y: number, toGrid?: (sx: number, sy: number) => [number, number]) {
    const n = this.n;
    const [minX, minY, maxX, maxY] = tileBoundsMercator(z, x, y);
    this.gx = new Float64Array(n * n);
    this.gy = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const [lon, lat] = mercatorToLonLat(minX + ((maxX - minX) * i) / (n - 1), maxY - ((maxY - minY) * j) / (n - 1));
        let p: [number, number] = [NaN, NaN];
        try {
          const s = toSource.forward([lon, lat]);
          p = toGrid ? toGrid(s[0], s[1]) : [s[0], s[1]];
        } catch {
          // Outside the projection's domain: stays NaN (transparent).
        }
        this.gx[j * n + i] = p[0];
        this.gy[j * n + i] = p[1];
      }
    }
  }

  /** [minX, minY, maxX, maxY] over the finite grid points (Infinity/-Infinity when there are none). */
  bounds(): [number, number, number, number] {
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (let k = 0; k < this.gx.length; k++) {
      if (!Number.isFinite(this.gx[k]) || !Number.isFinite(this.gy[k])) continue;
      x0 = Math.min(x0, this.gx[k]);
      x1 = Math.max(x1, this.gx[k]);
      y0 = Math.min(y0, this.gy[k]);
      y1 = Math.max(y1, this.gy[k]);
    }
    return [x0, y0, x1, y1];
  }

  /** Calls `fn` with the interpolated coordinates of the centre of every tile pixel that has finite ones. */
  forEachPixel(fn: (px: number, py: number, sx: number, sy: number) => void): void {
    const { n, gx, gy } = this;
    for (let py = 0; py < TILE_PX; py++) {
      const gj = Math.min(n - 2, Math.floor(py / GRID_STEP));
      const fy = (py + 0.5) / GRID_STEP - gj;
      for (let px = 0; px < TILE_PX; px++) {
        const gi = Math.min(n - 2, Math.floor(px / GRID_STEP));
        const fx = (px + 0.5) / GRID_STEP - gi;
        const k = gj * n + gi;
        const sx = (gx[k] * (1 - fx) + gx[k + 1] * fx) * (1 - fy) + (gx[k + n] * (1 - fx) + gx[k + n + 1] * fx) * fy;
        const sy = (gy[k] * (1 - fx) + gy[k + 1] * fx) * (1 - fy) + (gy[k + n] * (1 - fx) + gy[k + n + 1] * fx) * fy;
        if (Number.isFinite(sx) && Number.isFinite(sy)) fn(px, py, sx, sy);
      }
    }
  }
}
