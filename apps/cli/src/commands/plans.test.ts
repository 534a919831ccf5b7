import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { listTargets, Workspace } from '@tiandi/store';
import { afterEach, describe, expect, it } from 'vitest';
import { surveyWorkspace } from '../../../../packages/store/src/test-world.test-util';
import plan from './plan';
import plans from './plans';
import { boxPolygon } from '@tiandi/geo';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** The shared survey world with six detected targets from one scan over the township, and a targets file for `tiandi plan`. */
async function world() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-plans-'));
  dirs.push(dir);
  const cands = Array.from({ length: 6 }, (_, i) => ({
    id: `c${i + 1}`,
    image: 'DJI_0001.tif',
    poly: boxPolygon(100 + i * 0.004, 25 + (i % 3) * 0.005, 100.0001 + i * 0.004, 25.0001 + (i % 3) * 0.005),
    score: 0.9,
    scoreMean: 0.7,
    areaM2: 110,
  }));
  const file = path.join(dir, 'w.gpkg');
  const ws = await surveyWorkspace(file, {
    scanDir: path.join(dir, 'scan'),
    images: [{ image: 'DJI_0001.tif', poly: boxPolygon(99.99, 24.99, 100.03, 25.03) }],
    cands,
  });
  const targets = listTargets(ws);
  ws.close();
  fs.writeFileSync(
    path.join(dir, 'targets.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      features: targets.map((t) => ({ type: 'Feature', properties: { id: t.id, score_max: t.scoreMax }, geometry: t.geometry })),
    }),
  );
  return { dir, file, ids: targets.map((t) => t.id) };
}

async function run(command: typeof plans, argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const io = {
    stdout: new Writable({ write: (c, _e, cb) => ((out += c), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((err += c), cb()) }),
    cwd,
    stdin: Readable.from([]),
  };
  const status = await command.run(argv, io);
  return { status, out, err };
}

function read(file: string) {
  const ws = Workspace.open(file);
  try {
    return {
      plans: dbOf(ws).prepare('SELECT plan_id, team, stop_count FROM plans ORDER BY team').all() as { plan_id: string; team: string; stop_count: number }[],
      stops: dbOf(ws).prepare('SELECT team, seq, target_id FROM stops ORDER BY team, seq').all() as { team: string; seq: number; target_id: string }[],
      statuses: listTargets(ws).map((t) => t.status),
      audit: (dbOf(ws).prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n,
    };
  } finally {
    ws.close();
  }
}

describe('tiandi plans import', () => {
  it('records a plan from tiandi plan: routes and stops per team, targets planned; the same file again replaces it', async () => {
    const w = await world();
    expect(w.ids).toHaveLength(6);
    const p = await run(
      plan,
      ['--targets', 'targets.geojson', '--depot', '100,25', '--teams', '2', '--iterations', '50', '--seed', '1', '--date', '2026-04-22', '--out', 'out'],
      w.dir,
    );
    expect(p.status).toBe(0);
    const planJson = JSON.parse(fs.readFileSync(path.join(w.dir, 'out/plan.json'), 'utf8')) as { routes: { teamId: string; stops: { targetId: string }[] }[] };

    const r = await run(plans, ['import', 'out/plan.json', '--workspace', w.file, '--actor', 'planner'], w.dir);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^out\/plan\.json: 计划 plan plan-2026-04-22-[0-9a-f]{12}: .* 6 站 stops, 6 目标标记为已计划 targets now planned\n$/);
    const after = read(w.file);
    expect(after.statuses).toEqual(Array(6).fill('planned'));
    expect(after.stops.map((s) => s.target_id).sort()).toEqual([...w.ids].sort());
    for (const route of planJson.routes.filter((x) => x.stops.length)) {
      expect(after.stops.filter((s) => s.team === route.teamId).map((s) => s.target_id)).toEqual(route.stops.map((s) => s.targetId));
    }
    expect(new Set(after.plans.map((x) => x.plan_id)).size).toBe(1);

    const again = await run(plans, ['import', 'out/plan.json', '--workspace', w.file, '--actor', 'planner'], w.dir);
    expect(again.status).toBe(0);
    const twice = read(w.file);
    expect(twice.plans).toEqual(after.plans);
    expect(twice.stops).toEqual(after.stops);
  });

  it('refuses a plan naming targets the workspace lacks, or a file that is not a plan, in one line, storing nothing', async () => {
    const w = await world();
    const foreign = path.join(w.dir, 'foreign.json');
    fs.writeFileSync(
      foreign,
      JSON.stringify({
        version: 1,
        date: '2026-04-22',
        routes: [{ teamId: 'A', day: 0, path: [], stops: [{ targetId: 'X1', lon: 100, lat: 25, arrivalS: 30000 }] }],
      }),
    );
    const before = read(w.file);
    const r = await run(plans, ['import', 'foreign.json', '--workspace', w.file], w.dir);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^tiandi: foreign\.json: .*not in this workspace: X1 .*\[TIANDI_E_NOT_FOUND\]\n$/);
    const bad = await run(plans, ['import', 'targets.geojson', '--workspace', w.file], w.dir);
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/^tiandi: targets\.geojson: .*not a plan\.json from 'tiandi plan'.*\[TIANDI_E_PLAN_INPUT\]\n$/);
    const usage = await run(plans, ['export', 'x.json', '--workspace', w.file], w.dir);
    expect(usage.status).toBe(2);
    expect(usage.err).toMatch(/^tiandi: plans: .*unknown action 'export'/);
    expect(read(w.file)).toEqual(before);
  });
});
