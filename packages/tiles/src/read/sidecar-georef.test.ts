import { copyFileSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gdal, gdalAvailable } from '../testing/gdal-available';
import { localDistanceM } from './georef';
import { openGeoTiffSource } from './open-geotiff-source';
import { geoTransformFromWorldFile, parsePam, worldFileNames } from './sidecar-georef';

describe('world files and PAM, pure', () => {
  it("turns a world file (centre of the first pixel) into GDAL's corner geotransform", () => {
    expect(geoTransformFromWorldFile('0.5\n0\n0\n-0.5\n34500000.25\n3000000.75\n', 'x.tfw')).toEqual([34500000, 0.5, 0, 3000001, 0, -0.5]);
    expect(() => geoTransformFromWorldFile('0.5\n0\n0\n', 'x.tfw')).toThrow(/six numbers/);
  });

  it("looks for world files in GDAL's order", () => {
    expect(worldFileNames('/d/a.tif')).toEqual(['/d/a.tfw', '/d/a.TFW', '/d/a.tifw', '/d/a.TIFW', '/d/a.wld', '/d/a.WLD']);
    expect(worldFileNames('/d/a.TIFF')[0]).toBe('/d/a.tfw');
  });

  it('reads the GeoTransform and SRS of a PAM file, with XML entities', () => {
    const pam = parsePam(
      '<PAMDataset><SRS dataAxisToSRSAxisMapping="1,2">PROJCS[&quot;x&quot;,GEOGCS["Xian 1980",DATUM["Xian_1980",SPHEROID["IAG 1975",6378140,298.257]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",114],PARAMETER["false_easting",500000],UNIT["metre",1],AUTHORITY["EPSG","2383"]]</SRS><GeoTransform> 5e5, 3, 0, 3.3e6, 0, -3</GeoTransform></PAMDataset>',
      'a.tif.aux.xml',
    );
    expect(pam?.geoTransform).toEqual([500000, 3, 0, 3300000, 0, -3]);
    expect(pam?.crs?.id).toBe('EPSG:2383');
    expect(pam?.crs?.note).toMatch(/Xian 1980/);
  });
});

describe.skipIf(!gdalAvailable())('georeferencing beside the image, read as GDAL reads it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiandi-sidecar-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pts: [number, number][] = [
    [0, 0],
    [40, 0],
    [0, 30],
    [40, 30],
    [17.5, 11.25],
  ];

  /** A 40×30 GeoTIFF in EPSG:`code` with 0.5-m pixels whose corner is at [lon, lat], written by gdal_create. */
  function geotiff(name: string, srs: string, at: [number, number]): string {
    const [x, y] = gdal('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', srs, '-output_xy'], `${at[0]} ${at[1]}\n`).trim().split(/\s+/).map(Number);
    const file = join(dir, `${name}.tif`);
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
      '90',
      '-a_srs',
      srs,
      '-a_ullr',
      String(x),
      String(y),
      String(x + 20),
      String(y - 15),
      file,
    ]);
    return file;
  }

  /** gdaltransform's WGS 84 positions of the test pixels of `file` (GDAL reads its PAM, tags or world file). */
  function gdalLonLat(file: string): [number, number][] {
    return gdal('gdaltransform', ['-output_xy', '-t_srs', 'EPSG:4326', file], pts.map((p) => p.join(' ')).join('\n') + '\n')
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  }

  async function expectSameAs(file: string, ref: [number, number][]) {
    const s = await openGeoTiffSource(file);
    pts.forEach((p, i) => expect(localDistanceM(s.pixelToWgs84(p[0], p[1]), ref[i])).toBeLessThan(0.1));
    return s;
  }

  it('a .tfw with a .prj (gdal_translate -co TFW=YES -co PROFILE=BASELINE, then no .aux.xml)', async () => {
    const src = geotiff('tfw-src', 'EPSG:2383', [114.1, 30.5]);
    const ref = gdalLonLat(src);
    const out = join(dir, 'tfw.tif');
    gdal('gdal_translate', ['-q', '-co', 'PROFILE=BASELINE', '-co', 'TFW=YES', src, out]);
    unlinkSync(`${out}.aux.xml`);
    writeFileSync(join(dir, 'tfw.prj'), gdal('gdalsrsinfo', ['-o', 'wkt_esri', 'EPSG:2383']));
    expect(existsSync(join(dir, 'tfw.tfw'))).toBe(true);
    const s = await expectSameAs(out, ref);
    expect(s.crs.name).toMatch(/Xian_1980/);
    expect(s.crs.note).toMatch(/no datum shift/);
    await s.close();
  });

  it('a .wld with an OGC WKT .prj naming its EPSG code', async () => {
    const src = geotiff('wld-src', 'EPSG:28992', [5.1, 52.0]);
    const ref = gdalLonLat(src);
    const out = join(dir, 'wld.tif');
    gdal('gdal_translate', ['-q', '-co', 'PROFILE=BASELINE', '-co', 'TFW=YES', src, out]);
    unlinkSync(`${out}.aux.xml`);
    renameSync(join(dir, 'wld.tfw'), join(dir, 'wld.wld'));
    writeFileSync(join(dir, 'wld.prj'), gdal('gdalsrsinfo', ['-o', 'wkt1', 'EPSG:28992']));
    const s = await expectSameAs(out, ref);
    expect(s.crs.id).toBe('EPSG:28992');
    await s.close();
  });

  it('a GDAL .aux.xml alone (PROFILE=BASELINE): geotransform and CRS from PAM', async () => {
    const src = geotiff('pam-src', 'EPSG:3395', [102.5, 25.3]);
    const out = join(dir, 'pam.tif');
    gdal('gdal_translate', ['-q', '-co', 'PROFILE=BASELINE', src, out]);
    const s = await expectSameAs(out, gdalLonLat(src));
    expect(s.crs.id).toBe('EPSG:3395');
    await s.close();
  });

  it('a .aux.xml overrides the GeoTIFF tags, which override a world file, as in GDAL', async () => {
    const tagged = geotiff('order', 'EPSG:4522', [102.5, 25.3]);
    writeFileSync(join(dir, 'order.tfw'), '2\n0\n0\n-2\n34400000\n2900000\n');
    const s1 = await expectSameAs(tagged, gdalLonLat(tagged));
    await s1.close();
    const other = geotiff('other', 'EPSG:2383', [114.1, 30.5]);
    gdal('gdal_translate', ['-q', '-co', 'PROFILE=BASELINE', other, join(dir, 'other-baseline.tif')]);
    copyFileSync(join(dir, 'other-baseline.tif.aux.xml'), `${tagged}.aux.xml`);
    const ref = gdalLonLat(tagged);
    expect(ref[0][0]).toBeGreaterThan(114); // GDAL took the PAM (Xian 1980, 114°E), not the tags (102.5°E)
    const s2 = await expectSameAs(tagged, ref);
    expect(s2.crs.id).toBe('EPSG:2383');
    await s2.close();
  });
});
