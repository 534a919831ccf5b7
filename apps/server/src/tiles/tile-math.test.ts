import { describe, expect, it } from 'vitest';
import { boxesOverlap, isValidTile, lonLatToMercator, mercatorToLonLat, tileAt, tileBoundsLonLat, tilesOver, zoomForResolution } from './tile-math';

describe('tile math', () => {
  it('round-trips lon/lat through Web Mercator', () => {
    const [x, y] = lonLatToMercator(102.7, 27.9);
    const [lon, lat] = mercatorToLonLat(x, y);
    expect(lon).toBeCloseTo(102.7, 9);
    expect(lat).toBeCloseTo(27.9, 9);
  });
  it('gives the bounds of known tiles', () => {
    expect(tileBoundsLonLat(0, 0, 0).map((v) => Number(v.toFixed(6)))).toEqual([-180, -85.051129, 180, 85.051129]);
    const [w, s, e, n] = tileBoundsLonLat(1, 1, 0);
    expect(w).toBeCloseTo(0, 9);
    expect(e).toBeCloseTo(180, 9);
    expect(s).toBeCloseTo(0, 9);
    expect(n).toBeCloseTo(85.051129, 5);
  });
  it('validates tile addresses', () => {
    expect(isValidTile(3, 7, 7)).toBe(true);
    expect(isValidTile(3, 8, 0)).toBe(false);
    expect(isValidTile(-1, 0, 0)).toBe(false);
    expect(isValidTile(2.5, 0, 0)).toBe(false);
  });
  it('finds the zoom of a ground resolution', () => {
    expect(zoomForResolution(156543.03392804097, 0)).toBeCloseTo(0, 6);
    expect(Math.round(zoomForResolution(0.05, 27.9))).toBe(21);
  });
});

describe('tilesOver', () => {
  it('lists every tile over a box, each overlapping it, and the corner tiles', () => {
    const box = [102.7, 27.9, 102.72, 27.91];
    const tiles = tilesOver(box, 14, 16);
    for (const [z, x, y] of tiles) expect(boxesOverlap(tileBoundsLonLat(z, x, y), box)).toBe(true);
    for (const z of [14, 15, 16]) {
      expect(tiles).toContainEqual([z, ...tileAt(box[0], box[3], z)]);
      expect(tiles).toContainEqual([z, ...tileAt(box[2], box[1], z)]);
    }
    expect(tileAt(0, 0, 1)).toEqual([1, 1]);
    expect(tilesOver([-1, -1, 1, 1], 1, 1)).toHaveLength(4);
  });
});
