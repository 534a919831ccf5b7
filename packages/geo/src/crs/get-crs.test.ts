import { describe, expect, it } from 'vitest';
import { getCrs, CrsError, transformer, WGS84, gaussKrugerCrs, crsFromProj4, toWgs84 } from './index';

// [EPSG, x, y, lon, lat]: lon/lat computed here by GDAL 3.6 / PROJ with
// `echo "x y" | gdaltransform -output_xy -s_srs EPSG:<code> -t_srs EPSG:4326`.
const GDAL: [number, number, number, number, number][] = [
  [4491, 13300000, 3500000, 72.8926415173, 31.6051662584],
  [4501, 23700000, 5000000, 137.5413082861, 45.107190743],
  [4502, 300000, 3500000, 72.8926415173, 31.6051662584],
  [4512, 700000, 5000000, 137.5413082861, 45.107190743],
  [4513, 25400000, 3000000, 73.9915582819, 27.1080162708],
  [4522, 34550000, 2800000, 102.4965254895, 25.3056029947],
  [4533, 45600000, 5200000, 136.3130478272, 46.9272816422],
  [4534, 400000, 3000000, 73.9915582819, 27.1080162708],
  [4545, 620000, 2900000, 109.2006172819, 26.2040823675],
  [4554, 350000, 4500000, 133.227313143, 40.621033869],
  [32650, 400000, 3000000, 115.9910576381, 27.1188458263],
  [32748, 700000, 9000000, 106.8195225088, -9.0420470664],
  [3857, 11400000, 2900000, 102.4079423896, 25.1973161806],
  [4490, 102.5, 25.3, 102.5, 25.3],
];

/** Approximate ground distance in metres between two nearby [lon, lat] points. */
function metresBetween(a: [number, number], b: [number, number]): number {
  const kLat = 110_574;
  const kLon = 111_320 * Math.cos((a[1] * Math.PI) / 180);
  return Math.hypot((a[0] - b[0]) * kLon, (a[1] - b[1]) * kLat);
}

describe('getCrs', () => {
  it.each(GDAL)('EPSG:%i agrees with GDAL/PROJ within 0.1 m', (code, x, y, lon, lat) => {
    const t = toWgs84(getCrs(code));
    const got = t.forward([x, y]);
    expect(metresBetween(got, [lon, lat])).toBeLessThan(0.1);
    const back = t.inverse([lon, lat]);
    const units = getCrs(code).units;
    if (units === 'metre') expect(Math.hypot(back[0] - x, back[1] - y)).toBeLessThan(0.1);
  });

  it('accepts strings with and without the EPSG prefix and proj4 strings', () => {
    expect(getCrs('EPSG:4522').id).toBe('EPSG:4522');
    expect(getCrs('epsg:32650').name).toBe('WGS 84 / UTM zone 50N');
    expect(getCrs('4326').units).toBe('degree');
    expect(getCrs('+proj=utm +zone=48 +datum=WGS84').units).toBe('metre');
    expect(getCrs(32748).proj4).toContain('+south');
  });

  it('names the Gauss–Krüger zone families', () => {
    expect(getCrs(4522).proj4).toContain('+lon_0=102');
    expect(getCrs(4522).proj4).toContain('+x_0=34500000');
    expect(getCrs(4545).proj4).toContain('+x_0=500000');
    expect(getCrs(4545).proj4).toContain('+lon_0=108');
    expect(getCrs(4497).proj4).toContain('+lon_0=111');
    expect(getCrs(4497).proj4).toContain('+x_0=19500000');
  });

  it('refuses codes that are not horizontal CRSs with a typed error naming --crs', () => {
    expect(() => getCrs(999999)).toThrow(CrsError);
    try {
      getCrs('EPSG:5773');
      expect.unreachable();
    } catch (err) {
      expect((err as CrsError).code).toBe('TIANDI_E_UNKNOWN_CRS');
      expect((err as CrsError).message).toContain('vertical');
      expect((err as CrsError).message).toContain('--crs');
    }
    expect(() => getCrs(4978)).toThrow(/no horizontal definition/);
    expect(() => getCrs('WGS84 please')).toThrow(/unknown CRS/);
    expect(() => crsFromProj4('+proj=nonsense')).toThrow(CrsError);
  });
});

describe('getCrs from the EPSG dataset', () => {
  it('knows World Mercator, national grids and every Chinese datum family', () => {
    expect(getCrs(3395).name).toBe('WGS 84 / World Mercator');
    expect(getCrs(28992).name).toBe('Amersfoort / RD New');
    expect(getCrs(2383).proj4).toContain('+ellps=IAU76');
    expect(getCrs(21413).proj4).toContain('+ellps=krass');
    expect(getCrs(2263).proj4).toContain('+units=us-ft');
    expect(getCrs(2154).areaOfUse).toEqual([-9.86, 41.15, 10.38, 51.56]);
  });

  it("uses PROJ's TOWGS84 where the dataset copied raw coordinate-frame or microradian rotations", () => {
    // Amersfoort to WGS 84 (4), EPSG:4833: PROJ's rotations are -0.3989574, 0.3439878, -1.8774016 arc-seconds.
    expect(getCrs(28992).proj4).toContain('+towgs84=565.4171,50.3319,465.5524,-0.3989574,0.3439878,-1.8774016,4.0725');
    // RD New's origin, where GDAL gives 5.38720350841377, 52.1551723011922 (gdaltransform -s_srs EPSG:28992 -t_srs EPSG:4326).
    const [lon, lat] = toWgs84(getCrs(28992)).forward([155000, 463000]);
    expect(metresBetween([lon, lat], [5.38720350841377, 52.1551723011922])).toBeLessThan(0.01);
  });

  it('says once that Xian 1980 and Beijing 1954 have no known shift to WGS 84, and applies none (as GDAL does)', () => {
    expect(getCrs(4610).note).toMatch(/no datum shift to WGS 84/);
    expect(getCrs(2383).note).toMatch(/Xian 1980/);
    const bj = getCrs(21413);
    expect(bj.proj4).not.toContain('towgs84');
    expect(bj.note).toMatch(/oil basins only/);
    expect(getCrs(4490).note).toBeUndefined();
    expect(getCrs(4522).note).toBeUndefined();
    expect(getCrs(28992).note).toBeUndefined();
  });

  it("falls back to PROJ's Helmert, and says so, when a datum grid is not installed", () => {
    const uk = getCrs(27700);
    expect(uk.proj4).not.toContain('nadgrids');
    expect(uk.proj4).toContain('+towgs84=446.448,-125.157,542.06');
    expect(uk.note).toMatch(/OSTN15/);
  });

  it('reads a compound CRS as its horizontal part', () => {
    const c = getCrs(9518);
    expect(c.units).toBe('degree');
    expect(c.proj4).not.toContain('vunits');
    expect(toWgs84(c).forward([102.5, 25.3])).toEqual([102.5, 25.3]);
  });

  it('honours south-oriented axes (+axis=wsu), which proj4js ignores', () => {
    // Hartebeesthoek94 / Lo15 at 15°E, 30°S: GDAL gives x = 0, y = +3 319 854 (westing, southing).
    const [x, y] = toWgs84(getCrs(2046)).inverse([15.1, -30]);
    expect(x).toBeLessThan(-9000);
    expect(y).toBeGreaterThan(3_319_000);
  });
});

describe('gaussKrugerCrs', () => {
  it('picks the zone containing a longitude', () => {
    expect(gaussKrugerCrs(102.3, { zoneWidthDeg: 3, zonePrefix: true }).id).toBe('EPSG:4522');
    expect(gaussKrugerCrs(102.3, { zoneWidthDeg: 3, zonePrefix: false }).id).toBe('EPSG:4543');
    expect(gaussKrugerCrs(102.3, { zoneWidthDeg: 6, zonePrefix: true }).id).toBe('EPSG:4496');
    expect(gaussKrugerCrs(102.3, { zoneWidthDeg: 6, zonePrefix: false }).id).toBe('EPSG:4507');
  });

  it('builds a custom definition outside China', () => {
    const c = gaussKrugerCrs(10, { zoneWidthDeg: 3, zonePrefix: true });
    expect(c.epsg).toBeUndefined();
    expect(c.proj4).toContain('+x_0=3500000');
  });

  it('round-trips between two projected CRSs', () => {
    const t = transformer(getCrs(4522), getCrs(32648));
    const p = t.forward([34550000, 2800000]);
    const q = t.inverse(p);
    expect(q[0]).toBeCloseTo(34550000, 3);
    expect(q[1]).toBeCloseTo(2800000, 3);
    expect(transformer(WGS84, WGS84).forward([1, 2])).toEqual([1, 2]);
  });
});
