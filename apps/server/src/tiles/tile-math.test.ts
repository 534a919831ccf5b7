import { describe, expect, it } from 'vitest';
import { isValidTile, lonLatToMercator, mercatorToLonLat, tileBoundsLonLat, zoomForResolution } from './tile-math';

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
