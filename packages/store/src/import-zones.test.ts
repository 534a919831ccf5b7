import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importZones } from './import-zones';
import { readZones } from './rows';
import { Workspace } from './workspace';
import { tmp } from './test-world.test-util';

const zone = (ring: number[][]) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { zone_id: 'V01', level: 'village' }, geometry: { type: 'Polygon', coordinates: [ring] } }] });

describe('importZones: coordinates', () => {
  it('accepts positions with an elevation (lon, lat, z), which were read as misaligned lon/lat pairs and refused', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    importZones(ws, zone([[100, 25, 1800], [100.01, 25, 1800], [100.01, 25.01, 1800], [100, 25.01, 1800], [100, 25, 1800]]), {}, 'lead');
    expect(readZones(ws)[0].areaM2).toBeCloseTo(1_118_209, -1);
    ws.close();
  });

  it('refuses a longitude written in exponent form beyond ±180 (1e+21 is not two numbers)', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    expect(() => importZones(ws, zone([[100, 25], [1e21, 25], [100.01, 25.01], [100, 25]]), {}, 'lead')).toThrow(/coordinates are not lon\/lat degrees/);
    expect(readZones(ws)).toEqual([]);
    ws.close();
  });
});
