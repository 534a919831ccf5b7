import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importPlan, importScanDir, importZones, listTargets, Workspace } from '@tiandi/store';
import { afterEach, describe, expect, it } from 'vitest';
import { writeScanDir } from '../../../../packages/store/src/test-world.test-util';
import { readAssignment } from './field-assignment';
import { boxPolygon } from '@tiandi/geo';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the field assignment', () => {
  it('gives each stop its village, area, score, model and what to look for', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-assign-'));
    dirs.push(dir);
    const scan = writeScanDir(
      path.join(dir, 'scan'),
      [{ image: 'a.tif', poly: boxPolygon(99.99, 24.99, 100.03, 25.03) }],
      [{ id: 'c1', image: 'a.tif', poly: boxPolygon(100.001, 25.001, 100.0012, 25.0012), score: 0.82, scoreMean: 0.6, areaM2: 480 }],
    );
    const ws = Workspace.create(path.join(dir, 'w.gpkg'));
    try {
      importZones(
        ws,
        {
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', id: 'v1', properties: { zone_id: 'v1', name: '阿都村', level: 'village' }, geometry: boxPolygon(100, 25, 100.01, 25.01) },
          ],
        } as never,
        {},
        'test',
      );
      await importScanDir(ws, scan, 'test');
      const [t] = listTargets(ws);
      importPlan(ws, { planId: 'p1', teams: [{ team: 'T1', route: null, stops: [{ targetId: t.id, position: [100.0011, 25.0011] }] }] }, 'test');
      const a = readAssignment(ws, 'T1');
      expect(a.stops[0].info).toMatchObject({ village: '阿都村', score: 0.82, model: 'poppy-synth 1.0.0' });
      expect(a.stops[0].info!.areaM2).toBeGreaterThan(0);
      expect(a.stops[0].info!.lookFor).toMatch(/罂粟.*look for/);
    } finally {
      ws.close();
    }
  });
});
