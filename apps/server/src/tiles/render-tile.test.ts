import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGeoTiff } from '../testing/make-geotiff';
import { openRasterSource } from './raster-source';
import { renderTile, TILE_PX } from './render-tile';
import { lonLatToMercator, MERCATOR_R } from './tile-math';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-tiles-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The XYZ tile containing [lon, lat] at zoom z, and the pixel of that point inside it. */
function tileAt(lon: number, lat: number, z: number) {
  const [mx, my] = lonLatToMercator(lon, lat);
  const size = (2 * Math.PI * MERCATOR_R) / 2 ** z;
  const fx = (mx + Math.PI * MERCATOR_R) / size;
  const fy = (Math.PI * MERCATOR_R - my) / size;
  const x = Math.floor(fx);
  const y = Math.floor(fy);
  return { x, y, px: Math.floor((fx - x) * TILE_PX), py: Math.floor((fy - y) * TILE_PX) };
}
const pixel = (rgba: Uint8Array, px: number, py: number) => [...rgba.subarray((py * TILE_PX + px) * 4, (py * TILE_PX + px) * 4 + 4)];

describe('renderTile', () => {
  it('draws a UTM orthophoto at the right place in Web Mercator, transparent outside', async () => {
    // 200 × 160 px at 0.5 m in UTM 48N; bright square in the upper-left quarter (x 50–100, y 40–80).
    const file = path.join(dir, 'utm.tif');
    fs.writeFileSync(file, makeGeoTiff({ width: 200, height: 160, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.5 }));
    const src = await openRasterSource(file, 'ortho');
    expect(src.crs.id).toContain('32648');
    expect(src.gsdM).toBeCloseTo(0.5, 6);
    const [w, s, e, n] = src.boundsLonLat;
    expect(e - w).toBeGreaterThan(0.0009);
    expect(n - s).toBeGreaterThan(0.0007);
    // The square's centre: 75 px, 60 px → easting 500037.5, northing 3089970 → lon/lat via the source's own transform inverse.
    const { transformer, WGS84, getCrs } = await import('@tiandi/geo');
    const [lon, lat] = transformer(getCrs(32648), WGS84).forward([500_037.5, 3_089_970]);
    const z = 19;
    const t = tileAt(lon, lat, z);
    const rgba = await renderTile(src, z, t.x, t.y);
    expect(rgba).not.toBeNull();
    expect(pixel(rgba!, t.px, t.py)).toEqual([220, 90, 160, 255]);
    // Field colour just outside the square (10 m east of its east edge, inside the image).
    const [lon2, lat2] = transformer(getCrs(32648), WGS84).forward([500_060, 3_089_970]);
    const t2 = tileAt(lon2, lat2, z);
    const rgba2 = t2.x === t.x && t2.y === t.y ? rgba : await renderTile(src, z, t2.x, t2.y);
    const p2 = pixel(rgba2!, t2.px, t2.py);
    expect(p2[3]).toBe(255);
    expect(p2[1]).toBeGreaterThanOrEqual(140);
    // A tile far away is empty.
    expect(await renderTile(src, z, t.x + 50, t.y)).toBeNull();
  });

  it('uses GDAL overviews at low zoom and colours a heatmap', async (ctx) => {
    let hasGdal = true;
    try {
      execFileSync('gdal_translate', ['--version']);
    } catch {
      hasGdal = false;
    }
    if (!hasGdal) {
      console.warn('NOTICE: gdal_translate not installed — skipping the COG overview case');
      ctx.skip();
    }
    const plain = path.join(dir, 'plain.tif');
    fs.writeFileSync(plain, makeGeoTiff({ width: 1000, height: 800, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.1 }));
    const cog = path.join(dir, 'cog.tif');
    execFileSync('gdal_translate', ['-q', '-of', 'COG', '-co', 'COMPRESS=DEFLATE', '-co', 'BLOCKSIZE=256', plain, cog]);
    const src = await openRasterSource(cog, 'ortho');
    expect(src.levels.length).toBeGreaterThan(1);
    expect(src.minzoom).toBeLessThan(18);
    const { transformer, WGS84, getCrs } = await import('@tiandi/geo');
    const [lon, lat] = transformer(getCrs(32648), WGS84).forward([500_050, 3_089_960]);
    const t = tileAt(lon, lat, 17);
    const rgba = await renderTile(src, 17, t.x, t.y);
    expect(rgba).not.toBeNull();
    expect(pixel(rgba!, t.px, t.py)[3]).toBe(255);

    // A one-band float heatmap: 0 on the left half, 0.9 on the right half.
    const heat = path.join(dir, 'heat.tif');
    const xyz = path.join(dir, 'heat.xyz');
    const rows: string[] = [];
    for (let j = 0; j < 20; j++) for (let i = 0; i < 20; i++) rows.push(`${500_000 + i * 5 + 2.5} ${3_090_000 - j * 5 - 2.5} ${i < 10 ? 0 : 0.9}`);
    fs.writeFileSync(xyz, rows.join('\n'));
    execFileSync('gdal_translate', ['-q', '-a_srs', 'EPSG:32648', '-ot', 'Float32', xyz, heat]);
    const hs = await openRasterSource(heat, 'heatmap');
    const [hl, ha] = transformer(getCrs(32648), WGS84).forward([500_075, 3_089_950]);
    const th = tileAt(hl, ha, 19);
    const hr = await renderTile(hs, 19, th.x, th.y);
    const hp = pixel(hr!, th.px, th.py);
    expect(hp[0]).toBe(255);
    expect(hp[3]).toBeGreaterThan(180);
    const [cl, ca] = transformer(getCrs(32648), WGS84).forward([500_020, 3_089_950]);
    const tc = tileAt(cl, ca, 19);
    const cr = tc.x === th.x && tc.y === th.y ? hr : await renderTile(hs, 19, tc.x, tc.y);
    if (cr) expect(pixel(cr, tc.px, tc.py)[3]).toBe(0);
  });
});
