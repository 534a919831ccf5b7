/**
 * Writes the seed corpus of each fuzz target into test/fuzz/corpus/<target>/ (committed; rerun on purpose
 * to regenerate: `npx tsx test/fuzz/make-corpus.ts`). TIFF seeds are crafted entry by entry, one by our
 * writer, and, where GDAL is installed, a BigTIFF and a big-endian file from gdal_translate.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { writeGeoTiff } from '@tiandi/tiles/write';
import { craftTiff } from '../../packages/tiles/src/testing/craft-tiff';
import { lzwEncode } from '../../packages/tiles/src/testing/lzw-encode';
import { boxPolygon } from '@tiandi/geo';

const root = fileURLToPath(new URL('./corpus/', import.meta.url));
const put = (target: string, name: string, bytes: Uint8Array | string) => {
  mkdirSync(join(root, target), { recursive: true });
  writeFileSync(join(root, target, name), bytes);
};
const grad = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) & 255);

// TIFF headers.
put('tiff-header', 'strip-rgb.tif', craftTiff({ width: 16, height: 16, blocks: [grad(16 * 16 * 3)] }));
put(
  'tiff-header',
  'tiled-deflate-pred2.tif',
  craftTiff({ width: 16, height: 16, tile: [16, 16], compression: 8, predictor: 2, blocks: [deflateSync(grad(16 * 16 * 3))] }),
);
put(
  'tiff-header',
  'strips-lzw.tif',
  craftTiff({ width: 16, height: 16, compression: 5, tags: [{ tag: 278, type: 3, values: [4] }], blocks: [0, 1, 2, 3].map(() => lzwEncode(grad(16 * 4 * 3))) }),
);
put('tiff-header', 'grey.tif', craftTiff({ width: 16, height: 16, samples: 1, blocks: [grad(256)] }));
put(
  'tiff-header',
  'float-pred3.tif',
  craftTiff({
    width: 16,
    height: 16,
    samples: 1,
    bitsPerSample: 32,
    sampleFormat: 3,
    compression: 8,
    predictor: 3,
    blocks: [deflateSync(new Uint8Array(16 * 16 * 4))],
  }),
);
const ours = '/tmp/tiandi-fuzz-seed-ours.tif';
await writeGeoTiff(ours, {
  width: 48,
  height: 32,
  bands: 4,
  epsg: 4522,
  tileSize: 16,
  geoTransform: [36500000, 0.05, 0, 2800000, 0, -0.05],
  acquired: '2026-04-02T03:04:05Z',
  readRows: (y0, rows) => grad(48 * rows * 4).map((v, i) => (i % 4 === 3 ? 255 : v + y0)),
});
copyFileSync(ours, join(root, 'tiff-header', 'ours-rgba-overviews.tif'));
rmSync(ours);
const gdal = spawnSync('gdal_translate', ['--version']).status === 0;
if (gdal) {
  const src = join(root, 'tiff-header', 'strip-rgb.tif');
  for (const [name, co] of [
    ['bigtiff.tif', ['-co', 'BIGTIFF=YES', '-co', 'TILED=YES', '-co', 'BLOCKXSIZE=16', '-co', 'BLOCKYSIZE=16']],
    ['big-endian-lzw.tif', ['-co', 'ENDIANNESS=BIG', '-co', 'COMPRESS=LZW']],
  ] as const) {
    spawnSync('gdal_translate', ['-q', ...co, src, join(root, 'tiff-header', name)]);
    rmSync(join(root, 'tiff-header', `${name}.aux.xml`), { force: true });
  }
}

// Reports: CSV (ours, other apps', GBK) and GeoJSON (ours, QField, Survey123).
const header = 'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes';
put(
  'reports-csv',
  'ours.csv',
  `${header}\nr1,,confirmed_poppy,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,120,40,a.jpg;b.jpg,"坡地, ""东侧""\n第二行"\nr2,T-1,not_poppy,油菜,100.003,25.009,3,2026-04-20T12:00:00+08:00,A,,,,\n`,
);
put(
  'reports-csv',
  'chinese-headers.csv',
  '编号,结论,位置,时间,株数,面积,备注,实际作物\n"r-9",不是罂粟,"25.001 100.002 1800 6.0",2026/04/21 08:30,,35,"坡地, 东侧",油菜\n',
);
copyFileSync(fileURLToPath(new URL('../in/kobo-reports.csv', import.meta.url)), join(root, 'reports-csv', 'kobo.csv'));
const gbk = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], {
  input: `${header}\nr1,,not_poppy,油菜,100.002,25.008,5,2026-04-20T11:00:00+08:00,一组,,,,坡地东侧\n`,
});
if (gbk.status === 0) put('reports-csv', 'gbk.csv', gbk.stdout);
const point = (props: object, c = [100.002, 25.008]) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: props });
put(
  'reports-geojson',
  'ours.geojson',
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      point({
        report_id: 'r1',
        target_id: null,
        verdict: 'eradicated',
        what: null,
        accuracy_m: 4,
        observed_at: '2026-04-20T11:00:00+08:00',
        team: 'A',
        plant_count: 10,
        area_m2: 20,
        photos: ['a.jpg'],
        notes: null,
      }),
      point({ report_id: 'r2', verdict: 'inaccessible', accuracy_m: 9, observed_at: '2026-04-21T09:00:00Z' }),
    ],
  }),
);
copyFileSync(fileURLToPath(new URL('../in/qfield-reports.geojson', import.meta.url)), join(root, 'reports-geojson', 'qfield.geojson'));
put(
  'reports-geojson',
  'survey123.geojson',
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [100.003, 25.004] },
        attributes: { globalid: '{G-1}', result: 'Nothing', CreationDate: 1776823200000, target: 'T-7', accuracy: 3 },
      },
    ],
  }),
);

// Zones.
put(
  'zones-geojson',
  'township-villages.geojson',
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { zone_id: 'T01', name: '新寨乡', level: 'township' }, geometry: boxPolygon(100, 25, 100.02, 25.01) },
      { type: 'Feature', properties: { zone_id: 'V01', name: '上寨村', level: 'village', parent: 'T01' }, geometry: boxPolygon(100, 25, 100.01, 25.01) },
      {
        type: 'Feature',
        id: 'V02',
        properties: { name: '下寨村', level: 'village' },
        geometry: {
          type: 'MultiPolygon',
          coordinates: [boxPolygon(100.01, 25, 100.015, 25.01).coordinates, boxPolygon(100.015, 25, 100.02, 25.01).coordinates],
        },
      },
    ],
  }),
);
put(
  'zones-geojson',
  'county-hole.geojson',
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { code: 'C1', level: 'county' },
        geometry: {
          type: 'Polygon',
          coordinates: [boxPolygon(99.9, 24.9, 100.1, 25.1).coordinates[0], boxPolygon(100, 25, 100.01, 25.01).coordinates[0].reverse()],
        },
      },
    ],
  }),
);
console.log('corpus written to', root, readFileSync(join(root, 'reports-csv', 'ours.csv')).length > 0 ? '' : '?');
