import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { importScanDir, listTargets, readDepot, readRoads, Workspace } from '@tiandi/store';
import { afterEach, describe, expect, it } from 'vitest';
import { writeScanDir } from '../../../../packages/store/src/test-world.test-util';
import plan from './plan';
import { boxPolygon } from '@tiandi/geo';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A workspace with eight targets near 100°E 25°N (two score below 0.35), and the roads as an OSM XML extract. */
async function world() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-plan-ws-'));
  dirs.push(dir);
  const cands = Array.from({ length: 8 }, (_, i) => ({
    id: `c${i + 1}`,
    image: 'DJI_0001.tif',
    poly: boxPolygon(100 + i * 0.004, 25.001 + (i % 3) * 0.004, 100.0002 + i * 0.004, 25.0012 + (i % 3) * 0.004),
    score: i < 2 ? 0.3 : 0.9,
    scoreMean: 0.2,
    areaM2: 110,
  }));
  const scan = writeScanDir(path.join(dir, 'scan'), [{ image: 'DJI_0001.tif', poly: boxPolygon(99.99, 24.99, 100.04, 25.03) }], cands);
  const file = path.join(dir, 'w.gpkg');
  const ws = Workspace.create(file);
  await importScanDir(ws, scan, 'test');
  ws.close();
  // An east–west road along 25.000 and two north–south tracks sharing its nodes, as OSM XML.
  const nodes = [
    [1, 100, 25],
    [2, 100.015, 25],
    [3, 100.03, 25],
    [4, 100.015, 25.012],
    [5, 100.03, 25.012],
  ];
  const xml = `<?xml version="1.0"?><osm version="0.6">${nodes.map(([id, lon, lat]) => `<node id="${id}" lon="${lon}" lat="${lat}"/>`).join('')}
    <way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="unclassified"/></way>
    <way id="2"><nd ref="2"/><nd ref="4"/><tag k="highway" v="track"/></way>
    <way id="3"><nd ref="3"/><nd ref="5"/><tag k="highway" v="track"/></way>
    <way id="4"><nd ref="4"/><nd ref="5"/><tag k="highway" v="construction"/></way></osm>`;
  fs.writeFileSync(path.join(dir, 'roads.osm'), xml);
  return { dir, file };
}

async function run(argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const io = {
    stdout: new Writable({ write: (c, _e, cb) => ((out += c), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((err += c), cb()) }),
    cwd,
    stdin: Readable.from([]),
  };
  const status = await plan.run(argv, io);
  return { status, out, err };
}

describe('tiandi plan --workspace', () => {
  it("plans the workspace's open targets above the season threshold, stores roads and depot, and records the plan", async () => {
    const w = await world();
    const r = await run(
      ['--workspace', 'w.gpkg', '--roads', 'roads.osm', '--depot', '100.001,25.0005', '--teams', '2', '--iterations', '200', '--out', 'p1'],
      w.dir,
    );
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/6 待核查 open with score ≥ 0\.35 .*default review_threshold.*2 低于此分值未规划 below it, left out/);
    expect(r.out).toMatch(/1 条不可通行的道路未用 unusable ways left out/);
    expect(r.out).toMatch(/已记入工作区 Recorded in w\.gpkg: plan plan-undated-[0-9a-f]{12}, 2 teams/);
    const planJson = JSON.parse(fs.readFileSync(path.join(w.dir, 'p1/plan.json'), 'utf8'));
    expect(planJson.stats.travel).toBe('network');
    expect(planJson.routes.map((x: { teamId: string }) => x.teamId).sort()).toEqual(['T1', 'T2']);
    expect(planJson.routes[0].stops[0].info).toMatchObject({ score: 0.9, model: 'poppy-synth 1.0.0' });
    const ws = Workspace.open(w.file);
    try {
      expect(listTargets(ws).filter((t) => t.status === 'planned').length).toBe(6);
      expect(readRoads(ws).map((x) => x.id)).toEqual(['1', '2', '3', '4']);
      expect(readRoads(ws)[0].nodes).toEqual(['1', '2', '3']);
      expect(readDepot(ws)?.lonLat).toEqual([100.001, 25.0005]);
      expect((dbOf(ws).prepare('SELECT count(DISTINCT team) AS n FROM stops').get() as { n: number }).n).toBe(2);
    } finally {
      ws.close();
    }
    // Next time the stored roads and depot are enough; --min-score takes the low ones in too.
    const again = await run(['--workspace', 'w.gpkg', '--min-score', '0.2', '--teams', '2', '--iterations', '100', '--out', 'p2'], w.dir);
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/8 待核查 open with score ≥ 0\.2 \(--min-score\)/);
    expect(JSON.parse(fs.readFileSync(path.join(w.dir, 'p2/plan.json'), 'utf8')).stats.travel).toBe('network');
  });

  it('says what is missing: a workspace without a depot, a file that is not a workspace, --targets with --workspace', async () => {
    const w = await world();
    const noDepot = await run(['--workspace', 'w.gpkg', '--out', 'p'], w.dir);
    expect(noDepot.status).toBe(2);
    expect(noDepot.err).toMatch(/^tiandi: w\.gpkg: .*no depot in the workspace: pass --depot/);
    expect((await run(['--workspace', 'nope.gpkg', '--out', 'p'], w.dir)).err).toMatch(/nope\.gpkg: .*tiandi init/);
    expect((await run(['--workspace', 'w.gpkg', '--targets', 'x.geojson', '--out', 'p'], w.dir)).err).toMatch(/either --targets or --workspace/);
    expect((await run(['--out', 'p'], w.dir)).err).toMatch(/missing --targets <file> or --workspace <gpkg>/);
    expect((await run(['--workspace', 'w.gpkg', '--snap', '5', '--out', 'p'], w.dir)).err).toMatch(/^tiandi: --snap: .*share a node/);
    const badRoads = await run(['--workspace', 'w.gpkg', '--roads', 'scan/summary.json', '--depot', '100,25', '--out', 'p'], w.dir);
    expect(badRoads.status).toBe(2);
    expect(badRoads.err).toMatch(/^tiandi: scan\/summary\.json: /);
  });
});
