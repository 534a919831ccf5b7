import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../run-command.test-util';
import plan from './plan';

const repo = path.resolve(__dirname, '../../../..');
const roads = path.join(repo, 'seeds/roads.geojson');
const depotFile = path.join(repo, 'seeds/depot.geojson');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-plan-'));
  dirs.push(d);
  return d;
}

async function run(argv: string[], cwd: string) {
  const r = await runCommand(plan, argv, cwd);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

function targetsFile(dir: string, n: number): string {
  const features = Array.from({ length: n }, (_, i) => {
    const lon = 102.285 + (i % 6) * 0.006;
    const lat = 27.88 + Math.floor(i / 6) * 0.006;
    return i % 2
      ? { type: 'Feature', properties: { id: `C${i + 1}`, score_max: 0.5 + (i % 5) / 10, area_m2: 40 }, geometry: { type: 'Point', coordinates: [lon, lat] } }
      : {
          type: 'Feature',
          properties: { id: `C${i + 1}`, score_max: 0.9, score_mean: 0.7, area_m2: 120 },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [lon, lat],
                [lon + 1e-4, lat],
                [lon + 1e-4, lat + 1e-4],
                [lon, lat + 1e-4],
                [lon, lat],
              ],
            ],
          },
        };
  });
  const f = path.join(dir, 'targets.geojson');
  fs.writeFileSync(f, JSON.stringify({ type: 'FeatureCollection', features }));
  return f;
}

describe('tiandi plan', () => {
  it('plans on the demo roads and writes every output', async () => {
    const dir = tmp();
    const t = targetsFile(dir, 24);
    const r = await run(
      [
        '--targets',
        t,
        '--roads',
        roads,
        '--depot',
        depotFile,
        '--teams',
        '3',
        '--shift',
        '8h',
        '--break',
        '12:00+45m',
        '--iterations',
        '200',
        '--seed',
        '3',
        '--date',
        '2026-04-10',
        '--out',
        'out',
      ],
      dir,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Planned 24/24');
    const out = path.join(dir, 'out');
    for (const f of ['plan.json', 'routes.geojson', 'routes.gpx', 'routes.kml', 'stops.csv', 'navigation-gcj02.html'])
      expect(fs.existsSync(path.join(out, f))).toBe(true);
    const p = JSON.parse(fs.readFileSync(path.join(out, 'plan.json'), 'utf8'));
    expect(p.version).toBe(1);
    expect(p.routes.flatMap((x: { stops: unknown[] }) => x.stops).length).toBe(24);
    expect(p.routes[0].date).toBe('2026-04-10');
    expect(p.routes[0].stops[0].amapUriGcj02).toContain('coordinate=gaode');

    // Re-plan: visited targets stay out, the rest keep their order.
    const visited = p.routes.map((x: { stops: { targetId: string }[] }) => x.stops[0].targetId);
    const r2 = await run(
      [
        '--targets',
        t,
        '--roads',
        roads,
        '--depot',
        depotFile,
        '--teams',
        '3',
        '--shift',
        '8h',
        '--visited',
        visited.join(','),
        '--previous',
        'out/plan.json',
        '--out',
        'out2',
      ],
      dir,
    );
    expect(r2.code).toBe(0);
    const p2 = JSON.parse(fs.readFileSync(path.join(dir, 'out2/plan.json'), 'utf8'));
    expect(p2.visited.sort()).toEqual(visited.sort());
    expect(p2.routes[0].stops.map((s: { targetId: string }) => s.targetId)).toEqual(p.routes[0].stops.slice(1).map((s: { targetId: string }) => s.targetId));
  });

  it('plans teams with their own start and end depots from a teams file', async () => {
    const dir = tmp();
    const t = targetsFile(dir, 12);
    const road = JSON.parse(fs.readFileSync(roads, 'utf8')).features[0].geometry.coordinates[0];
    fs.writeFileSync(
      path.join(dir, 'teams.json'),
      JSON.stringify({
        teams: [
          { id: 'A', name: '一组', start: [102.3015558, 27.9005746], end: road, shift_s: 2 * 3600 },
          { id: 'B', start: road, shift_start: '09:00', max_stops: 3 },
        ],
      }),
    );
    const r = await run(['--targets', t, '--roads', roads, '--teams-file', 'teams.json', '--iterations', '100', '--out', 'o'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const p = JSON.parse(fs.readFileSync(path.join(dir, 'o/plan.json'), 'utf8'));
    const a = p.routes.find((x: { teamId: string }) => x.teamId === 'A');
    const b = p.routes.find((x: { teamId: string }) => x.teamId === 'B');
    expect(a.end).toEqual(road);
    expect(b.departS).toBe(9 * 3600);
    expect(b.stops.length).toBeLessThanOrEqual(3);
    fs.writeFileSync(path.join(dir, 'bad-teams.json'), JSON.stringify({ teams: [{ id: 'A', start: road, shfit_s: 1 }] }));
    const bad = await run(['--targets', t, '--teams-file', 'bad-teams.json', '--out', 'o'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^tiandi: bad-teams\.json: .*shfit_s.*shift_s/);
  });

  it('turns bad input into one line naming the file and exit status 2', async () => {
    const dir = tmp();
    const t = targetsFile(dir, 4);
    fs.writeFileSync(path.join(dir, 'bad.geojson'), '{"type": "FeatureCollection", "features": [');
    fs.writeFileSync(path.join(dir, 'empty.geojson'), '{"type": "FeatureCollection", "features": []}');
    const cases: [string[], RegExp][] = [
      [['--targets', 'missing.geojson', '--depot', '102.3,27.9', '--out', 'o'], /^tiandi: missing\.geojson: .*ENOENT/],
      [['--targets', 'bad.geojson', '--depot', '102.3,27.9', '--out', 'o'], /^tiandi: bad\.geojson: .*not valid JSON/],
      [['--targets', 'empty.geojson', '--depot', '102.3,27.9', '--out', 'o'], /^tiandi: empty\.geojson: .*no features/],
      [['--targets', t, '--roads', roads, '--depot', '102.0,27.5', '--out', 'o'], /^tiandi: --depot: .*from the road network/],
      [['--targets', t, '--roads', roads, '--depot', depotFile, '--shift', '5m', '--out', 'o'], /^tiandi: --shift: .*shorter than the round trip/],
      [['--targets', t, '--depot', depotFile, '--shift', 'eight', '--out', 'o'], /^tiandi: --shift: .*duration/],
      [['--targets', t, '--depot', depotFile], /^tiandi: plan: .*--out/],
      [['--targets', t, '--depot', depotFile, '--out', 'o', '--bogus', '1'], /^tiandi: plan: .*bogus/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(argv, dir);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trimEnd().split('\n').length).toBe(1);
    }
  });
});
