import { describe, expect, it } from 'vitest';
import { getCrs } from '@tiandi/geo/crs';
import { groundSampleDistance, implausibleGeoref, pixelToWgs84 } from './georef';
import type { GeoTransform } from '../write/geo-tags';

/** What openGeoTiffSource checks, for a 3000 × 3000 image with geotransform `gt` in `epsg`. */
function check(gt: GeoTransform, epsg: number) {
  const crs = getCrs(epsg);
  const toWgs = pixelToWgs84(gt, crs);
  let gsd = { x: NaN, y: NaN };
  try {
    gsd = groundSampleDistance(toWgs, 1500, 1500);
  } catch {
    // off the CRS's area: the corner check below names it
  }
  return implausibleGeoref(gt, 3000, 3000, toWgs, gsd, crs.id);
}

describe('implausibleGeoref', () => {
  it('accepts a 5-cm UTM image and a 5-cm image in degrees', () => {
    expect(check([718568, 0.05, 0, 3094608, 0, -0.05], 32648)).toBeUndefined();
    expect(check([107.2218, 4.5e-7, 0, 27.9586, 0, -4.5e-7], 4326)).toBeUndefined();
  });

  it('refuses UTM metres tagged as degrees: the corner is named, in the file CRS, with what to do', () => {
    const msg = check([718568, 0.05, 0, 3094608, 0, -0.05], 4326);
    expect(msg).toMatch(/718568, 3094608 in EPSG:4326, which is not on the Earth/);
    expect(msg).toMatch(/--crs "EPSG:<code>"/);
  });

  it('refuses degrees tagged as metres: a pixel of half a micrometre', () => {
    const msg = check([107.2218, 4.5e-7, 0, 27.9586, 0, -4.5e-7], 32648);
    expect(msg).toMatch(/a pixel would be 4\.5e-7 m on the ground in EPSG:32648, finer than any drone orthophoto/);
  });

  it('accepts an image touching the antimeridian and refuses one past the pole', () => {
    expect(check([179.99, 1e-6, 0, 10, 0, -1e-6], 4326)).toBeUndefined();
    expect(check([10, 1e-6, 0, 90.001, 0, -1e-7], 4326)).toMatch(/10, 90\.001 in EPSG:4326/);
  });
});
