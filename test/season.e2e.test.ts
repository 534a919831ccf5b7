import { dbOf } from '@tiandi/store/testing';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tiandi } from './helpers/run-tiandi';
import { Workspace, listCertificates } from '@tiandi/store';
import { rect, SEASON, VILLAGE_IMAGES, writeScanDir, ZONES_WITH_LEVELS } from '../packages/store/src/test-world.test-util';

const hasOgrinfo = spawnSync('ogrinfo', ['--version']).status === 0;
if (!hasOgrinfo) console.warn('NOTICE: ogrinfo (gdal-bin) not found — reading the GeoPackage back with GDAL is skipped (.ci/run installs it).');

// A scripted season on small hand-made fixtures, driven through the `tiandi` commands in-process:
// scan results imported, ground reports (confirming, one contradicting, one finding no scan flagged),
// certify → refused with the right reasons; evidence completed → certified; a later report → stale.

/**
 * The shared survey world (township T01, villages V01 and V02, season 2026) written as the files the CLI reads: the
 * season sets its flowering window and maximum GSD outright; the scan flies V01 in its two images and V02 once after
 * flowering, and flags plot A (seen in both images), plot B and one plot below the review threshold.
 */
function world(dir: string) {
  writeFileSync(join(dir, 'zones.geojson'), JSON.stringify(ZONES_WITH_LEVELS));
  writeFileSync(
    join(dir, 'season.json'),
    JSON.stringify({ ...SEASON, zone: 'township', flowering_window: { start: '2026-03-01', end: '2026-05-31' }, policy: { ...SEASON.policy, max_gsd_m: 0.1 } }),
  );
  return writeScanDir(
    join(dir, 'scan-001'),
    [
      ...VILLAGE_IMAGES,
      { image: 'DJI_0003.tif', poly: rect(100.01, 25, 100.02, 25.01), acquired: '2026-06-15T02:00:00Z' }, // after flowering: does not count
    ],
    [
      { id: 'c1', image: 'DJI_0001.tif', poly: rect(100.0045, 25.005, 100.0055, 25.0055), score: 0.82, areaM2: 500 },
      { id: 'c1', image: 'DJI_0002.tif', poly: rect(100.0047, 25.005, 100.0057, 25.0055), score: 0.91, areaM2: 500 }, // same plot seen again
      { id: 'c2', image: 'DJI_0002.tif', poly: rect(100.008, 25.002, 100.0084, 25.0024), score: 0.55, areaM2: 500 },
      { id: 'c3', image: 'DJI_0002.tif', poly: rect(100.009, 25.008, 100.0092, 25.0082), score: 0.2, areaM2: 500 }, // below the review threshold
    ],
  );
}

describe('a survey season, end to end through the CLI', () => {
  it('refuses, then certifies on complete evidence, then marks the certificate stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-season-'));
    world(dir);
    const ws = ['--workspace', 'survey.gpkg'];

    expect((await tiandi(dir, 'init', 'survey.gpkg')).code).toBe(0);
    expect((await tiandi(dir, 'zones', 'import', 'zones.geojson', ...ws)).out).toMatch(/3 新增 added/);
    expect((await tiandi(dir, 'season', 'set', 'season.json', ...ws)).code).toBe(0);

    // Bad input: one line naming the file, exit 2, nothing stored changed.
    writeFileSync(
      join(dir, 'bad.geojson'),
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"zone_id":"X"},"geometry":{"type":"Point","coordinates":[1,2]}}]}',
    );
    const auditBefore = (await tiandi(dir, 'audit', 'list', '--limit', '1000', ...ws)).out;
    const bad = await tiandi(dir, 'zones', 'import', 'bad.geojson', '--level', 'village', ...ws);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^tiandi: bad\.geojson: .+\n$/);
    expect((await tiandi(dir, 'audit', 'list', '--limit', '1000', ...ws)).out).toBe(auditBefore);

    const imported = await tiandi(dir, 'scans', 'import', 'scan-001', ...ws);
    expect(imported.out).toMatch(/3 影像 images, 4 候选 candidates → 3 新目标 new targets/);
    expect((await tiandi(dir, 'scans', 'import', 'scan-001', ...ws)).out).toMatch(/nothing changed/);

    const list = JSON.parse((await tiandi(dir, 'targets', 'list', '--zone', 'V01', '--json', ...ws)).out) as {
      id: string;
      sources: string[];
      scoreMax: number;
    }[];
    const plotA = list.find((t) => t.sources.length === 2)!;
    const plotB = list.find((t) => t.scoreMax === 0.55)!;
    expect(plotA.scoreMax).toBe(0.91);

    const cov = JSON.parse((await tiandi(dir, 'coverage', '--zone', 'V01', '--season', '2026', '--json', ...ws)).out);
    expect(cov.share).toBeCloseTo(1, 6);
    const cov2 = await tiandi(dir, 'coverage', '--zone', 'V02', '--export', 'gaps-V02.kml', '--split', ...ws);
    expect(readFileSync(join(dir, 'gaps-V02-1.kml'), 'utf8').match(/<Placemark>/g)).toHaveLength(1);
    expect(cov2.out).toMatch(/覆盖 Covered: 10\.00%/); // DJI_0002 reaches 0.001° into V02
    expect(cov2.out).toMatch(/DJI_0003\.tif \(outside_flowering_window\)/);
    const kml = readFileSync(join(dir, 'gaps-V02.kml'), 'utf8');
    expect(kml.match(/<Polygon>/g)).toHaveLength(1);
    expect(kml).toContain('100.01100000,25.00000000,0');

    // Day 1 of ground work: confirm plot A, plot B is rapeseed, a plot no scan flagged, a contradicting report, a bad row.
    writeFileSync(
      join(dir, 'day1.csv'),
      [
        'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes',
        `d1-1,${plotA.id},confirmed_poppy,,100.005,25.0052,4,2026-04-20T09:00:00+08:00,一组,300,120,,`,
        `d1-2,${plotB.id},not_poppy,油菜 rapeseed,100.0082,25.0022,5,2026-04-20T10:00:00+08:00,一组,,,,`,
        'd1-3,,confirmed_poppy,,100.002,25.008,5,2026-04-20T11:00:00+08:00,一组,50,30,,路边发现 found by the track',
        `d1-4,${plotA.id},nothing_found,,100.005,25.0052,4,2026-04-20T15:00:00+08:00,二组,,,,`,
        'd1-5,,confirmed_poppy,,100.002,125.008,5,2026-04-20T11:00:00+08:00,一组,,,,',
      ].join('\n'),
    );
    const day1 = await tiandi(dir, 'reports', 'import', 'day1.csv', ...ws);
    expect(day1.code).toBe(2);
    expect(day1.err.trim().split('\n')).toEqual([expect.stringMatching(/^tiandi: day1\.csv: 第 6 行 row 6: .*position/)]);
    expect(day1.out).toMatch(/4 条已保存 stored/);
    expect(day1.out).toMatch(/missed by scan/);
    expect(day1.out).toMatch(new RegExp(`needs review: ${plotA.id}`));
    const missed = JSON.parse((await tiandi(dir, 'targets', 'list', '--json', ...ws)).out).find((t: { missedByScan: boolean }) => t.missedByScan).id as string;

    const refused = await tiandi(dir, 'certify', '--zone', 'V01', '--season', '2026', '--sign', '王乡长', ...ws);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/not certifiable: eradication_verified, no_open_review/);
    expect(refused.out).toMatch(/✔ 通过 PASS {2}花期影像覆盖/);
    expect(refused.out).toMatch(/✘ 未通过 FAIL {2}确认地块均已铲除并复核/);
    expect(refused.out).toContain(`- ${plotA.id} (confirmed: not eradicated)`);
    expect(refused.out).toContain(`- ${missed} (confirmed: not eradicated)`);
    const v02 = await tiandi(dir, 'certify', '--zone', 'V02', '--season', '2026', ...ws);
    expect(v02.err).toMatch(/not certifiable: coverage$/m);

    // A manager decides the contradiction; teams eradicate, then verify on a later visit.
    expect((await tiandi(dir, 'targets', 'set-status', plotA.id, 'confirmed', '--reason', '照片为罂粟 photos show poppy', ...ws)).code).toBe(0);
    const pt = (id: string, target: string, verdict: string, lon: number, lat: number, at: string) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { report_id: id, target_id: target, verdict, accuracy_m: 3, observed_at: at, team: '一组' },
    });
    writeFileSync(
      join(dir, 'day2.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          pt('d2-1', plotA.id, 'eradicated', 100.005, 25.0052, '2026-04-22T09:00:00+08:00'),
          pt('d2-2', missed, 'eradicated', 100.002, 25.008, '2026-04-22T10:00:00+08:00'),
          pt('d9-1', plotA.id, 'nothing_found', 100.005, 25.0052, '2026-04-29T09:00:00+08:00'),
          pt('d9-2', missed, 'nothing_found', 100.002, 25.008, '2026-04-29T10:00:00+08:00'),
        ],
      }),
    );
    expect((await tiandi(dir, 'reports', 'import', 'day2.geojson', ...ws)).code).toBe(0);

    const ok = await tiandi(dir, 'certify', '--zone', 'V01', '--season', '2026', '--sign', '王乡长', '--out', 'certs', ...ws);
    expect(ok.code).toBe(0);
    const certId = ok.out.match(/已签发 Issued: (\S+)/)![1];
    const cert = JSON.parse(readFileSync(join(dir, 'certs', certId + '.json'), 'utf8'));
    expect(cert).toMatchObject({ zoneId: 'V01', seasonId: '2026', signedBy: '王乡长', status: 'issued' });
    expect(cert.rules.every((r: { pass: boolean }) => r.pass)).toBe(true);
    expect(cert.targets.map((t: { status: string }) => t.status).sort()).toEqual([
      'detected',
      'eradication_verified',
      'eradication_verified',
      'inspected_negative',
    ]);
    const html = readFileSync(join(dir, 'certs', certId + '.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain(cert.evidenceDigest);
    expect(ok.out).toContain(`证据摘要 Evidence sha256: ${cert.evidenceDigest}`);

    expect((await tiandi(dir, 'certify', '--verify', join('certs', certId + '.json'), ...ws)).code).toBe(0);

    // A later report in the certified village: the certificate is marked stale.
    writeFileSync(
      join(dir, 'late.csv'),
      'report_id,verdict,lon,lat,accuracy_m,observed_at\nlate-1,confirmed_poppy,100.009,25.009,5,2026-05-10T09:00:00+08:00\n',
    );
    expect((await tiandi(dir, 'reports', 'import', 'late.csv', ...ws)).out).toContain(`certificate now stale: ${certId}`);
    const w = Workspace.open(join(dir, 'survey.gpkg'));
    expect(listCertificates(w, { zoneId: 'V01' })[0]).toMatchObject({ certId, status: 'stale' });
    w.close();

    const reverify = await tiandi(dir, 'certify', '--verify', join('certs', certId + '.json'), ...ws);
    expect(reverify.code).toBe(1);
    expect(reverify.out).toMatch(/Matches the workspace now: 否 NO — evidence changed/);
    expect((await tiandi(dir, 'audit', 'verify', ...ws)).code).toBe(0);
    const labels = await tiandi(dir, 'targets', 'labels', '--out', 'labels.geojson', ...ws);
    expect(labels.out).toMatch(/poppy 3, not_poppy 1; missed_by_scan 2/);

    if (hasOgrinfo) {
      const info = spawnSync('ogrinfo', ['-ro', '-so', join(dir, 'survey.gpkg')], { encoding: 'utf8' });
      expect(info.status).toBe(0);
      for (const layer of ['zones', 'images', 'candidates', 'targets', 'reports', 'certifications', 'audit_log']) expect(info.stdout).toContain(`: ${layer} `);
    }

    // Editing one stored audit entry is caught and named.
    const db = Workspace.open(join(dir, 'survey.gpkg'));
    dbOf(db).prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 7`).run();
    db.close();
    const verify = await tiandi(dir, 'audit', 'verify', ...ws);
    expect(verify.code).toBe(1);
    expect(verify.err).toMatch(/^tiandi: survey\.gpkg: .*entry #7 \(seq 7\).*edited/);
  });

  it('the installed binary: bad input is one line naming the file, exit 2, and the workspace is unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiandi-bin-'));
    const bin = join(__dirname, '..', 'node_modules', '.bin', 'tiandi');
    const run = (...a: string[]) =>
      spawnSync(bin, a, { cwd: dir, encoding: 'utf8', env: { ...process.env, TIANDI_WORKSPACE: join(dir, 'w.gpkg'), TIANDI_ACTOR: 'ci' } });
    expect(run('init').status).toBe(0);
    writeFileSync(join(dir, 'season.json'), '{"id": "2026", "year": 2026, "policy": {"min_coverage": 0.9}}');
    const bad = run('season', 'set', 'season.json');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("tiandi: season.json: policy: 未知字段 unknown key 'min_coverage' (是否为 did you mean 'min_coverage_share'?) [TIANDI_E_INPUT]\n");
    const log = run('audit', 'list');
    expect(log.stdout.trim().split('\n')).toHaveLength(1);
    expect(log.stdout).toMatch(/\tci\tworkspace\.create\t/);
  });
});
