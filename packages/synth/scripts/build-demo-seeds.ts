/**
 * Writes the committed vector part of the demo survey under seeds/ (townships, villages, roads,
 * depot, season, flight blocks). Deterministic: re-running it reproduces the same files.
 *   npx tsx packages/synth/scripts/build-demo-seeds.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoSurvey } from '../src/demo/demo-survey';
import { demoFlightBlocks } from '../src/demo/demo-flight-blocks';
import { demoSeason } from '../src/demo/demo-season';

const root = join(import.meta.dirname, '../../../seeds');
const s = buildDemoSurvey();
const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const write = (name: string, obj: unknown) => writeFileSync(join(root, name), JSON.stringify(obj, null, 1) + '\n');

write(
  'zones.geojson',
  fc([
    {
      type: 'Feature',
      id: 'county',
      properties: {
        id: 'county',
        level: 'county',
        name: s.county.name,
        name_pinyin: s.county.namePinyin,
        parent: '凉山彝族自治州 Liangshan Yi Autonomous Prefecture, 四川省 Sichuan',
      },
      geometry: { type: 'Polygon', coordinates: [s.county.ring] },
    },
    {
      type: 'Feature',
      id: 'township',
      properties: { id: 'township', level: 'township', name: s.township.name, name_pinyin: s.township.namePinyin, parent: 'county' },
      geometry: { type: 'Polygon', coordinates: [s.township.ring] },
    },
    ...s.villages.map((v) => ({
      type: 'Feature',
      id: v.id,
      properties: { id: v.id, level: 'village', name: v.name, name_pinyin: v.namePinyin, parent: 'township' },
      geometry: { type: 'Polygon', coordinates: [v.ring] },
    })),
  ]),
);
write(
  'roads.geojson',
  fc(
    s.roads.map((r) => ({
      type: 'Feature',
      id: r.id,
      properties: { id: r.id, highway: r.highway, ...(r.name ? { name: r.name } : {}) },
      geometry: { type: 'LineString', coordinates: r.coords },
    })),
  ),
);
write(
  'depot.geojson',
  fc([
    {
      type: 'Feature',
      id: s.depot.id,
      properties: { id: s.depot.id, kind: 'police_station', amenity: 'police', name: s.depot.name, name_en: s.depot.nameEn },
      geometry: { type: 'Point', coordinates: s.depot.lonLat },
    },
  ]),
);
write('season.json', demoSeason());
write('flight-blocks.json', demoFlightBlocks(s));
console.log(`seeds written to ${root}: ${s.villages.length} villages, ${s.roads.length} roads`);
