import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { getCrs, transformer, WGS84 } from '@tiandi/geo';
import { makeGeoTiff } from '../testing/make-geotiff';
import { signedInServer } from '../testing/signed-in';
import { lonLatToMercator, MERCATOR_R } from '../tiles/tile-math';
import { rasterCatalogOf } from './rasters';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('raster tile routes', () => {
  it('lists rasters and serves PNG tiles (cached), 204 for empty tiles, 4xx for bad addresses', async () => {
    const s = await signedInServer({ runJobs: false });
    cleanups.push(s.cleanup);
    const file = path.join(s.dir, 'ortho.tif');
    fs.writeFileSync(file, makeGeoTiff({ width: 200, height: 160, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.5 }));
    rasterCatalogOf(s.app.tiandi).addProvider(() => [{ kind: 'ortho', name: 'ortho.tif', file }]);

    const list = await s.app.inject({ url: '/api/rasters', headers: s.as.field });
    expect(list.statusCode).toBe(200);
    const [r] = list.json().rasters;
    expect(r).toMatchObject({ kind: 'ortho', name: 'ortho.tif', minzoom: 0, maxzoom: 20 });
    expect(r.bounds[0]).toBeCloseTo(105, 6);

    const [lon, lat] = transformer(getCrs(32648), WGS84).forward([500_037.5, 3_089_970]);
    const [mx, my] = lonLatToMercator(lon, lat);
    const z = 18;
    const size = (2 * Math.PI * MERCATOR_R) / 2 ** z;
    const x = Math.floor((mx + Math.PI * MERCATOR_R) / size);
    const y = Math.floor((Math.PI * MERCATOR_R - my) / size);
    const url = r.tiles.replace('{z}', z).replace('{x}', x).replace('{y}', y);
    const tile = await s.app.inject({ url, headers: s.as.operator });
    expect(tile.statusCode).toBe(200);
    expect(tile.headers['content-type']).toBe('image/png');
    const { data, info } = await sharp(tile.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([256, 256, 4]);
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] === 255) opaque++;
    expect(opaque).toBeGreaterThan(100);
    expect(fs.existsSync(path.join(s.dir, 'data', 'tile-cache', r.id, String(z), String(x), `${y}.png`))).toBe(true);
    expect((await s.app.inject({ url, headers: s.as.operator })).rawPayload.equals(tile.rawPayload)).toBe(true);

    const empty = await s.app.inject({
      url: r.tiles
        .replace('{z}', z)
        .replace('{x}', x + 40)
        .replace('{y}', y),
      headers: s.as.operator,
    });
    expect(empty.statusCode).toBe(204);
    const bad = await s.app.inject({ url: `/api/rasters/${r.id}/3/9/0.png`, headers: s.as.operator });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'x' });
    expect((await s.app.inject({ url: `/api/rasters/${'0'.repeat(20)}/3/1/1.png`, headers: s.as.operator })).statusCode).toBe(404);
    expect((await s.app.inject({ url: `/api/rasters/nope/3/1/1.png`, headers: s.as.operator })).json().field).toBe('id');
    expect((await s.app.inject({ url })).statusCode).toBe(401);
  });

  it('answers tiles outside the raster (zoom range or bounds) without writing to disk, and parses coordinates strictly', async () => {
    const s = await signedInServer({ runJobs: false });
    cleanups.push(s.cleanup);
    const file = path.join(s.dir, 'ortho.tif');
    fs.writeFileSync(file, makeGeoTiff({ width: 200, height: 160, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.5 }));
    rasterCatalogOf(s.app.tiandi).addProvider(() => [{ kind: 'ortho', name: 'ortho.tif', file }]);
    const [r] = (await s.app.inject({ url: '/api/rasters', headers: s.as.field })).json().rasters;
    const cacheDir = path.join(s.dir, 'data', 'tile-cache');
    const entries = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir, { recursive: true }).length : 0);
    const before = entries();
    const tile = (z: number | string, x: number | string, y: number | string) =>
      s.app.inject({ url: `/api/rasters/${r.id}/${z}/${x}/${y}.png`, headers: s.as.field });

    // Zoom 24 is beyond this raster's maxzoom (20); the others are far outside its bounds.
    for (let i = 0; i < 200; i++) {
      expect((await tile(24, 13_000_000 + i, 7_000_000 + i)).statusCode).toBe(204);
      expect((await tile(r.maxzoom, i, i)).statusCode).toBe(204);
    }
    expect((await tile(r.maxzoom + 1, 0, 0)).statusCode).toBe(204);
    expect(entries()).toBe(before);

    for (const [z, x, y] of [
      [' ', 0, 0],
      [3, '0x1', 1],
      [3, -1, 1],
      [3, 1, '1.5'],
      [3, '1e1', 1],
      [3, '01', 1],
      ['', 1, 1],
      [25, 0, 0],
      [3, 1, '%20'],
    ]) {
      const res = await tile(z, x, y);
      expect(res.statusCode, `${z}/${x}/${y}`).toBe(400);
    }
    expect(entries()).toBe(before);
  });
});

describe('imagery-quality map of a heatmap', () => {
  it("serves a scan's quality.geojson to signed-in roles, listed beside the heatmap, and 404 where there is none", async () => {
    const s = await signedInServer({ runJobs: false });
    cleanups.push(s.cleanup);
    const tif = makeGeoTiff({ width: 200, height: 160, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.5 });
    const scan = path.join(s.dir, 'scan');
    const bare = path.join(s.dir, 'bare');
    fs.mkdirSync(scan);
    fs.mkdirSync(bare);
    for (const d of [scan, bare]) fs.writeFileSync(path.join(d, 'heatmap.tif'), tif);
    fs.writeFileSync(path.join(s.dir, 'ortho.tif'), tif);
    // The shape the scanner writes (packages/tiles quality-map.ts): one poor block with its reasons and measures.
    const quality = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [105, 27.9],
                [105.001, 27.9],
                [105.001, 27.901],
                [105, 27.9],
              ],
            ],
          },
          properties: { class: 'poor_quality', image: 'a.tif', reasons: ['blurred', 'hazy'], sharpness: 0.01 },
        },
      ],
    };
    fs.writeFileSync(path.join(scan, 'quality.geojson'), JSON.stringify(quality));
    // quality.geojson beside an orthophoto is not a scan's: never served.
    fs.writeFileSync(path.join(s.dir, 'quality.geojson'), JSON.stringify(quality));
    rasterCatalogOf(s.app.tiandi).addProvider(() => [
      { kind: 'heatmap', name: 'scanned.tif', file: path.join(scan, 'heatmap.tif') },
      { kind: 'heatmap', name: 'unjudged.tif', file: path.join(bare, 'heatmap.tif') },
      { kind: 'ortho', name: 'ortho.tif', file: path.join(s.dir, 'ortho.tif') },
    ]);
    const list = (await s.app.inject({ url: '/api/rasters', headers: s.as.operator })).json().rasters as { id: string; name: string; quality?: string }[];
    const by = Object.fromEntries(list.map((r) => [r.name, r]));
    expect(by['scanned.tif'].quality).toBe(`/api/rasters/${by['scanned.tif'].id}/quality.geojson`);
    expect(by['unjudged.tif'].quality).toBeUndefined();
    expect(by['ortho.tif'].quality).toBeUndefined();

    for (const role of ['operator', 'planner', 'manager', 'field'] as const) {
      const res = await s.app.inject({ url: by['scanned.tif'].quality!, headers: s.as[role] });
      expect(res.statusCode, role).toBe(200);
      expect(res.headers['content-type']).toContain('application/geo+json');
      expect(res.json()).toEqual(quality);
    }
    expect((await s.app.inject({ url: by['scanned.tif'].quality! })).statusCode).toBe(401);
    expect((await s.app.inject({ url: by['scanned.tif'].quality!, headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    const none = await s.app.inject({ url: `/api/rasters/${by['unjudged.tif'].id}/quality.geojson`, headers: s.as.operator });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'TIANDI_E_NOT_FOUND', field: 'id' });
    expect((await s.app.inject({ url: `/api/rasters/${by['ortho.tif'].id}/quality.geojson`, headers: s.as.operator })).statusCode).toBe(404);
    expect((await s.app.inject({ url: `/api/rasters/${'0'.repeat(20)}/quality.geojson`, headers: s.as.operator })).statusCode).toBe(404);
    expect((await s.app.inject({ url: '/api/rasters/..%2F..%2Fetc/quality.geojson', headers: s.as.operator })).statusCode).toBe(400);
  });
});
