import { describe, expect, it } from 'vitest';
import { tileOf, tilesAround, tileUrl } from './tile-prefetch';

describe('tile selection around stops', () => {
  it('finds the tile of a point like the XYZ scheme', () => {
    expect(tileOf(0, 0, 1)).toEqual({ x: 1, y: 1 });
    expect(tileOf(102.8, 28.0, 10)).toEqual({ x: 804, y: 428 });
    expect(tileOf(-180, 85.1, 3)).toEqual({ x: 0, y: 0 });
  });

  it('takes every zoom within the radius, inside the raster bounds only', () => {
    const raster = { bounds: [102.79, 27.99, 102.83, 28.03] as [number, number, number, number], minzoom: 12, maxzoom: 18 };
    const { tiles, maxZoomUsed } = tilesAround([[102.81, 28.01]], raster, { radiusM: 150 });
    expect(maxZoomUsed).toBe(18);
    const z18 = tiles.filter((t) => t.z === 18);
    // 300 m across at z18 (≈0.53 m/px × 256 px ≈ 135 m per tile at 28°N) → 3–4 tiles each way
    expect(z18.length).toBeGreaterThanOrEqual(9);
    expect(z18.length).toBeLessThanOrEqual(16);
    expect(tiles.filter((t) => t.z === 12)).toHaveLength(1);
    expect(tilesAround([[103.5, 28.01]], raster, { radiusM: 150 }).tiles).toEqual([]);
  });

  it('drops the finest zoom levels to stay under maxTiles, and shares tiles between close stops', () => {
    const raster = { bounds: [102, 27, 104, 29] as [number, number, number, number], minzoom: 10, maxzoom: 20 };
    const pts: [number, number][] = [
      [102.81, 28.01],
      [102.8102, 28.0101],
    ];
    const all = tilesAround(pts, raster, { radiusM: 200, maxTiles: 100_000 });
    const one = tilesAround([pts[0]], raster, { radiusM: 200, maxTiles: 100_000 });
    expect(all.tiles.length).toBeLessThan(2 * one.tiles.length);
    const capped = tilesAround(pts, raster, { radiusM: 200, maxTiles: 60 });
    expect(capped.tiles.length).toBeLessThanOrEqual(60);
    expect(capped.maxZoomUsed).toBeLessThan(20);
    expect(Math.max(...capped.tiles.map((t) => t.z))).toBe(capped.maxZoomUsed);
  });

  it('fills URL templates', () => {
    expect(tileUrl('/api/rasters/abc/{z}/{x}/{y}.png', { z: 3, x: 4, y: 5 }, 'http://h:1/#/field')).toBe('http://h:1/api/rasters/abc/3/4/5.png');
  });
});
