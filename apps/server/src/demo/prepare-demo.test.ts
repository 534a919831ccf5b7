import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDepot, readRoads, setDepot, Workspace } from '@tiandi/store';
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
      // The seed's English name travels with it, for the English UI.
      expect(readDepot(ws)).toEqual({ id: 'depot', name: '依洛乡派出所', namePinyin: 'Yiluo Township Police Station', lonLat: [102.3015558, 27.9005746] });
      const actions = (dbOf(ws).prepare(`SELECT action FROM audit_log WHERE actor = 'demo' ORDER BY seq`).all() as { action: string }[]).map((r) => r.action);
      expect(actions).toEqual(['roads.set', 'depot.set']);
    } finally {
      ws.close();
    }
  });

  it("gives a demo depot stored before depots kept a romanised name the seed's, and leaves a user's own depot alone", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-demo-'));
    dirs.push(dir);
    const ws = Workspace.create(path.join(dir, 'demo.gpkg'));
    try {
      setDepot(ws, { id: 'depot', name: '依洛乡派出所', lonLat: [102.3015558, 27.9005746] }, 'demo');
      putSeedPlanningInputs(ws, SEEDS_DIR);
      expect(readDepot(ws)?.namePinyin).toBe('Yiluo Township Police Station');
      setDepot(ws, { id: 'depot', name: '乡政府', lonLat: [102.31, 27.91] }, 'planner');
      putSeedPlanningInputs(ws, SEEDS_DIR);
      expect(readDepot(ws)).toEqual({ id: 'depot', name: '乡政府', lonLat: [102.31, 27.91] });
    } finally {
      ws.close();
    }
  });
});
