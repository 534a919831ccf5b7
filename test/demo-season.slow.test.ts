import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tiandi } from './helpers/run-tiandi';
import { pointInRing, polygonsIntersect, type Polygonal } from '@tiandi/geo';
import { ensureDemoImagery } from '@tiandi/synth/node';

// A whole season on the demo survey, through the CLI and the default model: flight block 1 covers the
// hamlet 阿都村 (v1) whole. Scan → import → ground reports built from the block's ground truth (a
// confirmation, a contradicting visit, a plot no scan flagged, negatives for the rest) → certify refused
// with the right reasons → the manager decides, teams eradicate and verify later → certified → a later
// report makes the certificate stale.

const root = fileURLToPath(new URL('..', import.meta.url));

interface TargetJson {
  id: string;
  status: string;
  missedByScan: boolean;
  geometry: Polygonal;
}

/** A vertex of the target's outline: where a team standing at the plot would report from. */
function vertexOf(g: Polygonal): [number, number] {
  const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
  return [ring[0][0], ring[0][1]];
}

/** A point inside the zone with no target within 16 m (3 m accuracy + 10 m margin, and some), so a finding there matches none. */
function clearSpot(zoneRing: [number, number][], targets: TargetJson[]): [number, number] {
  const lons = zoneRing.map((p) => p[0]),
    lats = zoneRing.map((p) => p[1]);
  const [w, e, s, n] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const dLon = 16 / (111_320 * Math.cos((((s + n) / 2) * Math.PI) / 180)),
    dLat = 16 / 111_320;
  // A grid over the zone, nearest its middle first: targets may be large (a kept candidate of 1.8 ha on block 1).
  const grid: [number, number][] = [];
  for (let i = 1; i < 40; i++) for (let j = 1; j < 40; j++) grid.push([w + ((e - w) * i) / 40, s + ((n - s) * j) / 40]);
  const mid = [(w + e) / 2, (s + n) / 2];
  grid.sort((a, b) => Math.hypot(a[0] - mid[0], a[1] - mid[1]) - Math.hypot(b[0] - mid[0], b[1] - mid[1]));
  for (const p of grid) {
    if (!pointInRing(p[0], p[1], zoneRing)) continue;
    const square: Polygonal = {
      type: 'Polygon',
      coordinates: [
        [
          [p[0] - dLon, p[1] - dLat],
          [p[0] + dLon, p[1] - dLat],
          [p[0] + dLon, p[1] + dLat],
          [p[0] - dLon, p[1] + dLat],
          [p[0] - dLon, p[1] - dLat],
        ],
      ],
    };
    if (targets.every((t) => !polygonsIntersect(square, t.geometry))) return p;
  }
  throw new Error('no clear spot in the zone: every point is near a target');
}

const HEADER = 'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes';
const row = (id: string, target: string, verdict: string, [lon, lat]: [number, number], at: string, team = '一组') =>
  `${id},${target},${verdict},,${lon.toFixed(8)},${lat.toFixed(8)},3,${at},${team},,,,`;

describe('a season on the demo survey', () => {
  it('refuses 阿都村 with reasons, certifies it once the evidence is complete, and marks the certificate stale after a later report', async () => {
    const images = await ensureDemoImagery();
    const block = images.find((b) => b.village === 'v1')!;
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-demo-season-'));
    const ws = ['--workspace', join(dir, 'demo.gpkg')];
    expect((await tiandi(dir, 'init', ...ws)).code).toBe(0);
    expect((await tiandi(dir, 'zones', 'import', join(root, 'seeds/zones.geojson'), ...ws)).code).toBe(0);
    expect((await tiandi(dir, 'season', 'set', join(root, 'seeds/season.json'), ...ws)).code).toBe(0);

    const scan = await tiandi(dir, 'scan', block.path, '--model', join(root, 'models/poppy-synth'), '--out', join(dir, 'scan-1'), '--json');
    expect(scan.code).toBe(0);
    expect((await tiandi(dir, 'scans', 'import', join(dir, 'scan-1'), ...ws)).code).toBe(0);

    const cov = JSON.parse((await tiandi(dir, 'coverage', '--zone', 'v1', '--json', ...ws)).out);
    expect(cov.share).toBeGreaterThanOrEqual(0.98);

    const truth = JSON.parse(readFileSync(block.truthPath, 'utf8')) as { features: { properties: { class: string }; geometry: Polygonal }[] };
    const poppy = truth.features.filter((f) => f.properties.class === 'poppy').map((f) => f.geometry);
    const listV1 = async () => JSON.parse((await tiandi(dir, 'targets', 'list', '--zone', 'v1', '--json', ...ws)).out) as TargetJson[];
    const scanned = await listV1();
    const isPoppy = (t: TargetJson) => poppy.some((p) => polygonsIntersect(t.geometry, p));

    // Day 1: every target in the hamlet visited; a second team contradicts the first confirmation;
    // a plot no scan flagged is found at the zone's first vertex (outside every target).
    const zone = JSON.parse(readFileSync(join(root, 'seeds/zones.geojson'), 'utf8')).features.find((f: { id: string }) => f.id === 'v1');
    const zoneRing = zone.geometry.coordinates[0] as [number, number][];
    const foundAt = clearSpot(zoneRing, scanned);
    const confirmed = scanned.filter(isPoppy);
    const day1 = [
      ...scanned.map((t, i) => row(`d1-${i}`, t.id, isPoppy(t) ? 'confirmed_poppy' : 'nothing_found', vertexOf(t.geometry), '2026-04-20T09:00:00+08:00')),
      ...confirmed.slice(0, 1).map((t) => row('d1-contra', t.id, 'nothing_found', vertexOf(t.geometry), '2026-04-20T15:00:00+08:00', '二组')),
      row('d1-missed', '', 'confirmed_poppy', foundAt, '2026-04-20T11:00:00+08:00'),
    ];
    writeFileSync(join(dir, 'day1.csv'), [HEADER, ...day1].join('\n'));
    const rep1 = await tiandi(dir, 'reports', 'import', 'day1.csv', ...ws);
    expect(rep1.code).toBe(0);
    expect(rep1.out).toContain(`${day1.length} 条已保存 stored`);
    expect(rep1.out).toMatch(/missed by scan/);

    const refused = await tiandi(dir, 'certify', '--zone', 'v1', '--sign', '演示乡长', ...ws);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(confirmed.length ? /not certifiable: eradication_verified, no_open_review/ : /not certifiable: eradication_verified/);
    expect(refused.out).toMatch(/✔ 通过 PASS {2}花期影像覆盖/);
    const missed = (await listV1()).find((t) => t.missedByScan)!;
    expect(refused.out).toContain(`- ${missed.id} (confirmed: not eradicated)`);

    // The manager decides the contradiction from the photos; teams eradicate, then check again a week later.
    for (const t of confirmed.slice(0, 1))
      expect((await tiandi(dir, 'targets', 'set-status', t.id, 'confirmed', '--reason', '照片为罂粟 photos show poppy', ...ws)).code).toBe(0);
    const toClear = [...confirmed, missed];
    const followUp = toClear.flatMap((t, i) => [
      row(`d2-${i}`, t.id, 'eradicated', vertexOf(t.geometry), '2026-04-22T09:00:00+08:00'),
      row(`d9-${i}`, t.id, 'nothing_found', vertexOf(t.geometry), '2026-04-29T09:00:00+08:00'),
    ]);
    writeFileSync(join(dir, 'day2.csv'), [HEADER, ...followUp].join('\n'));
    expect((await tiandi(dir, 'reports', 'import', 'day2.csv', ...ws)).code).toBe(0);

    const ok = await tiandi(dir, 'certify', '--zone', 'v1', '--sign', '演示乡长', '--out', 'certs', ...ws);
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    const certId = ok.out.match(/已签发 Issued: (\S+)/)![1];
    const cert = JSON.parse(readFileSync(join(dir, 'certs', certId + '.json'), 'utf8'));
    expect(cert).toMatchObject({ zoneId: 'v1', signedBy: '演示乡长', status: 'issued' });
    expect(cert.rules.every((r: { pass: boolean }) => r.pass)).toBe(true);
    const statuses = new Set(cert.targets.map((t: { status: string }) => t.status));
    expect(statuses.has('eradication_verified')).toBe(true);
    expect(readFileSync(join(dir, 'certs', certId + '.html'), 'utf8')).toContain('阿都村');

    // A later report inside the hamlet: the certificate no longer rests on all the evidence.
    writeFileSync(join(dir, 'late.csv'), `${HEADER}\n${row('late-1', '', 'confirmed_poppy', foundAt, '2026-05-10T09:00:00+08:00')}\n`);
    expect((await tiandi(dir, 'reports', 'import', 'late.csv', ...ws)).out).toContain(`certificate now stale: ${certId}`);
    expect((await tiandi(dir, 'audit', 'verify', ...ws)).code).toBe(0);
  }, 300_000); // first use generates the demo imagery
});
