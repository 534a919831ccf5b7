import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { getCrs, toWgs84 } from './index';

/** Whether gdaltransform is on PATH; says once, visibly, when these checks are skipped. */
function gdaltransformAvailable(): boolean {
  const ok = spawnSync('gdaltransform', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!ok)
    process.stderr.write(
      '\n[geo] NOTICE: gdaltransform (gdal-bin) not found — the CRS checks against GDAL are SKIPPED. apt-get install gdal-bin to run them.\n\n',
    );
  return ok;
}

/**
 * CRSs checked against GDAL/PROJ at the centre of their area of use: China's three datums in every zone family,
 * world and national grids, foot units, south-oriented axes, datum grids, a compound CRS, and datums whose
 * TOWGS84 the EPSG dataset had wrong (28992, 31370, 2039, 3844, 20255, 2326: corrected from PROJ's database).
 */
const SAME_SHIFT = [
  4490,
  4491,
  4496,
  4502,
  4513,
  4522,
  4533,
  4534,
  4545,
  4554, // CGCS2000
  4610,
  2327,
  2338,
  2345,
  2349,
  2360,
  2370,
  2390, // Xian 1980
  4214,
  2401,
  2420,
  2442,
  21413,
  21420,
  21453,
  21463, // Beijing 1954 (centres outside the oil basins' regional shifts)
  3395,
  3857,
  32650,
  32748,
  9518, // WGS 84
  28992,
  27700,
  2154,
  25832,
  3035,
  2056,
  21781,
  31467,
  31370,
  2039,
  3844,
  20255,
  2326,
  2046, // Europe, Israel, Australia, HK, South Africa
  2193,
  3112,
  3577,
  5070,
  2263,
  3006,
  2180,
  3067,
  3414,
  3826,
  2100,
  29902,
  2157, // more national grids
];

/** gdaltransform's projected coordinates of [lon, lat] (WGS 84) in EPSG:code. */
function gdalForward(code: number, lon: number, lat: number): [number, number] {
  const r = spawnSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', `EPSG:${code}`, '-output_xy'], { input: `${lon} ${lat}\n`, encoding: 'utf8' });
  const [x, y] = r.stdout.trim().split(/\s+/).map(Number);
  return [x, y];
}

/** Metres between two points in a CRS (degrees turned into metres locally for geographic CRSs). */
function metresApart(a: [number, number], b: [number, number], degrees: boolean, lat: number): number {
  if (!degrees) return Math.hypot(a[0] - b[0], a[1] - b[1]);
  return Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((lat * Math.PI) / 180), (a[1] - b[1]) * 110_574);
}

describe.skipIf(!gdaltransformAvailable())('getCrs agrees with gdaltransform (GDAL/PROJ) to 0.1 m', () => {
  it(`covers at least 30 CRSs (${SAME_SHIFT.length})`, () => expect(SAME_SHIFT.length).toBeGreaterThanOrEqual(30));

  it.each(SAME_SHIFT)('EPSG:%i, both ways, inside its area of use', (code) => {
    const crs = getCrs(code);
    const [w, s, e, n] = crs.areaOfUse!;
    const lon = (w + e) / 2;
    const lat = (s + n) / 2;
    const gdal = gdalForward(code, lon, lat);
    const t = toWgs84(crs);
    expect(metresApart(t.inverse([lon, lat]), gdal, crs.units === 'degree', lat)).toBeLessThan(0.1);
    const back = t.forward(gdal);
    expect(metresApart(back, [lon, lat], true, lat)).toBeLessThan(0.1);
  });
});
