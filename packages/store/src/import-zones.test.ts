import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importZones } from './import-zones';
import { readZones } from './rows';
import { Workspace } from './workspace';
import { tmp } from './test-world.test-util';

const zone = (ring: number[][]) => ({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { zone_id: 'V01', level: 'village' }, geometry: { type: 'Polygon', coordinates: [ring] } }],
});

describe('importZones: coordinates', () => {
  it('accepts positions with an elevation (lon, lat, z), which were read as misaligned lon/lat pairs and refused', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    importZones(
      ws,
      zone([
        [100, 25, 1800],
        [100.01, 25, 1800],
        [100.01, 25.01, 1800],
        [100, 25.01, 1800],
        [100, 25, 1800],
      ]),
      {},
      'lead',
    );
    expect(readZones(ws)[0].areaM2).toBeCloseTo(1_118_209, -1);
    ws.close();
  });

  it('refuses a longitude written in exponent form beyond ±180 (1e+21 is not two numbers)', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    expect(() =>
      importZones(
        ws,
        zone([
          [100, 25],
          [1e21, 25],
          [100.01, 25.01],
          [100, 25],
        ]),
        {},
        'lead',
      ),
    ).toThrow(/coordinates are not lon\/lat degrees/);
    expect(readZones(ws)).toEqual([]);
    ws.close();
  });
});

describe('importZones: romanised names', () => {
  it('keeps properties.name_pinyin beside the Chinese name; a pinyin-only change updates it without touching the evidence', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    const ring = [
      [100, 25],
      [100.01, 25],
      [100.01, 25.01],
      [100, 25.01],
      [100, 25],
    ];
    const named = (pinyin: string | undefined) => ({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { zone_id: 'V01', level: 'village', name: '上寨村', name_pinyin: pinyin },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
      ],
    });
    importZones(ws, named('Shangzhai Cun'), {}, 'lead');
    expect(readZones(ws)[0]).toMatchObject({ name: '上寨村', namePinyin: 'Shangzhai Cun' });
    expect(importZones(ws, named('Shangzhai Cun'), {}, 'lead').unchanged).toEqual(['V01']);
    expect(importZones(ws, named('Shangzhai'), {}, 'lead').updated).toEqual(['V01']);
    expect(readZones(ws)[0].namePinyin).toBe('Shangzhai');
    importZones(ws, zone(ring), {}, 'lead');
    expect(readZones(ws)[0]).toMatchObject({ name: null, namePinyin: null });
    ws.close();
  });
});
