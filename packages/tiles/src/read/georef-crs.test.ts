import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gdal, gdalAvailable } from '../testing/gdal-available';
import { localDistanceM } from './georef';
import { openGeoTiffSource } from './open-geotiff-source';

/**
 * GeoTIFFs written by GDAL in CRSs outside the old registry: user-defined projections (GDAL writes
 * ProjCoordTransGeoKey and its parameters, a user-defined ellipsoid and TOWGS84), EPSG codes from the dataset,
 * and a compound CRS (vertical key beside the horizontal one). Each is placed at [lon, lat] with 0.5 m pixels.
 */
const CASES: [string, string, [number, number]][] = [
  [
    'tm-krassovsky-towgs84',
    '+proj=tmerc +lat_0=0 +lon_0=101 +k=0.9996 +x_0=500000 +y_0=100 +ellps=krass +towgs84=15,-150,-80,0,0,0,0 +units=m +no_defs',
    [101.2, 27.1],
  ],
  ['lcc-2sp-iau76', '+proj=lcc +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=0 +y_0=0 +ellps=IAU76 +units=m +no_defs', [103.5, 30.2]],
  ['albers-grs80', '+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +x_0=4000000 +y_0=0 +ellps=GRS80 +units=m +no_defs', [102.3, 25.1]],
  ['mercator-1sp', '+proj=merc +lon_0=110 +k=0.997 +x_0=100 +y_0=200 +ellps=WGS84 +units=m +no_defs', [108, 22]],
  ['laea', '+proj=laea +lat_0=30 +lon_0=100 +x_0=1000 +y_0=2000 +ellps=WGS84 +units=m +no_defs', [101, 31]],
  [
    'oblique-stereo-bessel-7param',
    '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 +ellps=bessel +towgs84=565.4171,50.3319,465.5524,-0.398957,0.343988,-1.87740,4.0725 +units=m +no_defs',
    [5.1, 52.0],
  ],
  ['polar-stereo', '+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs', [-40, 75]],
  ['tm-us-feet', '+proj=tmerc +lat_0=31 +lon_0=-106.25 +k=0.9999 +x_0=500000.0001016 +y_0=0 +ellps=GRS80 +units=us-ft +no_defs', [-106, 32]],
  ['longlat-bessel-towgs84', '+proj=longlat +ellps=bessel +towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7 +no_defs', [9.5, 48.2]],
  ['EPSG:3395', 'EPSG:3395', [102.5, 25.3]],
  ['EPSG:28992', 'EPSG:28992', [5.1, 52.0]],
  ['EPSG:2383', 'EPSG:2383', [114.1, 30.5]],
  ['EPSG:21413', 'EPSG:21413', [75.5, 38]],
  ['EPSG:4522+5773', 'EPSG:4522+5773', [102.5, 25.3]],
];

describe.skipIf(!gdalAvailable())('GeoTIFF CRSs GDAL writes are read as GDAL reads them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiandi-crs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A 40×30 GeoTIFF in `srs` whose upper-left corner is at [lon, lat], written by gdal_create. */
  function write(name: string, srs: string, at: [number, number]): string {
    const [x, y] = gdal('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', srs, '-output_xy'], `${at[0]} ${at[1]}\n`).trim().split(/\s+/).map(Number);
    const file = join(dir, `${name.replace(/[^a-z0-9-]/gi, '_')}.tif`);
    const geographic = srs.includes('longlat');
    const px = geographic ? 5e-6 : srs.includes('us-ft') ? 1.5 : 0.5;
    gdal('gdal_create', [
      '-q',
      '-of',
      'GTiff',
      '-outsize',
      '40',
      '30',
      '-bands',
      '3',
      '-burn',
      '128',
      '-a_srs',
      srs,
      '-a_ullr',
      String(x),
      String(y),
      String(x + 40 * px),
      String(y - 30 * px),
      file,
    ]);
    return file;
  }

  it.each(CASES)('%s: pixel → WGS 84 within 0.1 m of gdaltransform', async (name, srs, at) => {
    const file = write(name, srs, at);
    const s = await openGeoTiffSource(file);
    const pts: [number, number][] = [
      [0, 0],
      [40, 0],
      [0, 30],
      [40, 30],
      [17.5, 11.25],
    ];
    const ref = gdal('gdaltransform', ['-output_xy', '-t_srs', 'EPSG:4326', file], pts.map((p) => p.join(' ')).join('\n') + '\n')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
    pts.forEach((p, i) => expect(localDistanceM(s.pixelToWgs84(p[0], p[1]), ref[i])).toBeLessThan(0.1));
    await s.close();
  });

  it('a Xian 1980 file says once that no shift to WGS 84 is known', async () => {
    const s = await openGeoTiffSource(write('xian-note', 'EPSG:2383', [114.1, 30.5]));
    expect(s.crs.note).toMatch(/Xian 1980.*no datum shift to WGS 84/);
    await s.close();
  });
});
