import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDepot, readRoads, Workspace } from '@tiandi/store';
import { putSeedPlanningInputs, SEEDS_DIR } from './prepare-demo';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('demo preparation: planning inputs', () => {
  it('stores the seed roads and depot in the workspace once (a restart adds no audit entry)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-demo-'));
    dirs.push(dir);
    const ws = Workspace.create(path.join(dir, 'demo.gpkg'));
    try {
      putSeedPlanningInputs(ws, SEEDS_DIR);
      putSeedPlanningInputs(ws, SEEDS_DIR);
      const seed = JSON.parse(fs.readFileSync(path.join(SEEDS_DIR, 'roads.geojson'), 'utf8')) as { features: { properties: { id: string } }[] };
      expect(readRoads(ws).map((w) => w.id)).toEqual(seed.features.map((f) => f.properties.id));
      expect(readDepot(ws)).toEqual({ id: 'depot', name: '依洛乡派出所', lonLat: [102.3015558, 27.9005746] });
      const actions = (ws.db.prepare(`SELECT action FROM audit_log WHERE actor = 'demo' ORDER BY seq`).all() as { action: string }[]).map((r) => r.action);
      expect(actions).toEqual(['roads.set', 'depot.set']);
    } finally {
      ws.close();
    }
  });
});
