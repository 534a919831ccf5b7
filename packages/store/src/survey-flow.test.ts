import { dbOf } from './workspace';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Workspace } from './workspace';
import { MIGRATIONS } from './schema';
import { importZones } from './import-zones';
import { importScanDir } from './import-scan-dir';
import { zoneCoverage } from './zone-coverage';
import { importReportsFile } from './import-reports';
import { certifyZone, listCertificates, revokeCertificate, verifyCertificate } from './certify-zone';
import { certificateHtml } from './certificate-html';
import { verifyAudit } from './verify-audit';
import { listTargets, setTargetStatus } from './targets';
import { importPlan } from './import-plan';
import { trainingLabels } from './training-labels';
import { VILLAGE_IMAGES, VILLAGES, rect, surveyWorkspace, tmp, villageScan, writeScanDir } from './test-world.test-util';

const hasOgrinfo = spawnSync('ogrinfo', ['--version']).status === 0;
if (!hasOgrinfo) console.warn('NOTICE: ogrinfo (gdal-bin) not found — reading the GeoPackage back with GDAL is skipped (.ci/run installs it).');

function clock() {
  let t = Date.parse('2026-04-15T00:00:00Z');
  return () => new Date((t += 1000)).toISOString();
}

/** The shared survey world (township, two villages, season 2026), no scan yet, on a clock one second a step. */
async function setup() {
  const dir = tmp();
  const ws = await surveyWorkspace(join(dir, 'ws.gpkg'), { now: clock(), actor: 'lead' });
  return { dir, ws };
}

const csv = (rows: string[]) =>
  'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes\n' + rows.join('\n') + '\n';

describe('survey workspace', () => {
  it('imports zones with parents by containment, idempotently', async () => {
    const { ws } = await setup();
    const again = importZones(ws, VILLAGES, { level: 'village' }, 'lead');
    expect(again).toMatchObject({ added: [], updated: [], unchanged: ['V01', 'V02'], parents: { V01: 'T01', V02: 'T01' } });
    expect(() =>
      importZones(
        ws,
        { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: rect(1, 1, 2, 2) }] },
        { level: 'village', source: 'z.geojson' },
        'lead',
      ),
    ).toThrow(expect.objectContaining({ code: 'TIANDI_E_INPUT', path: 'z.geojson' }));
    ws.close();
  });

  it('imports the demo zones file (mixed levels, level and parent in properties)', () => {
    const ws = Workspace.create(join(tmp(), 'ws.gpkg'));
    const seeds = JSON.parse(readFileSync(new URL('../../../seeds/zones.geojson', import.meta.url), 'utf8'));
    const onlyVillages = importZones(ws, seeds, { level: 'village' }, 'lead');
    expect(onlyVillages.added).toHaveLength(6);
    expect(onlyVillages.skipped).toEqual(['county', 'township']);
    const r = importZones(ws, seeds, {}, 'lead');
    expect(r.added).toEqual(['county', 'township']);
    expect(r.parents).toMatchObject({ county: null, township: 'county', v1: 'township', v6: 'township' });
    expect(dbOf(ws).prepare(`SELECT count(*) AS n FROM zones WHERE parent_id = 'township'`).get()).toEqual({ n: 6 });
    ws.close();
  });

  it('imports a scan: overlapping candidates merge into one target; re-import changes nothing', async () => {
    const { dir, ws } = await setup();
    const scan = villageScan(join(dir, 'scan'));
    const r = await importScanDir(ws, scan, 'operator');
    expect(r).toMatchObject({ imagesAdded: ['DJI_0001.tif', 'DJI_0002.tif'], candidatesAdded: 3, unchanged: false });
    expect(r.targetsCreated).toHaveLength(2);
    const targets = listTargets(ws, { zoneId: 'V01' });
    expect(targets.map((t) => t.sources.length).sort()).toEqual([1, 2]);
    expect(Math.max(...targets.map((t) => t.scoreMax))).toBe(0.9);
    const auditCount = () => (dbOf(ws).prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const before = auditCount();
    const again = await importScanDir(ws, scan, 'operator');
    expect(again.unchanged).toBe(true);
    expect(auditCount()).toBe(before);
    const cov = zoneCoverage(ws, 'V01', '2026').coverage;
    expect(cov.share).toBeCloseTo(1, 6);
    expect(zoneCoverage(ws, 'V02').coverage.share).toBeLessThan(0.11);
    ws.close();
  });

  it('runs a season: refuse with reasons, complete evidence, certify, stale on a later report, revoke', async () => {
    const { dir, ws } = await setup();
    await importScanDir(ws, villageScan(join(dir, 'scan')), 'operator');
    const [tBig, tSmall] = listTargets(ws, { zoneId: 'V01' }).sort((a, b) => b.sources.length - a.sources.length);
    importPlan(
      ws,
      {
        planId: 'P1',
        teams: [
          {
            team: 'A',
            route: {
              type: 'LineString',
              coordinates: [
                [100, 25],
                [100.005, 25.005],
              ],
            },
            stops: [
              { targetId: tBig.id, position: [100.005, 25.0052] },
              { targetId: tSmall.id, position: [100.0082, 25.0022] },
            ],
          },
        ],
      },
      'planner',
    );
    expect(listTargets(ws, { status: 'planned' })).toHaveLength(2);

    writeFileSync(join(dir, 'photo1.jpg'), Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex')); // a JPEG by its bytes
    const f1 = join(dir, 'day1.csv');
    writeFileSync(
      f1,
      csv([
        `r1,${tBig.id},confirmed_poppy,,100.005,25.0052,4,2026-04-20T09:00:00+08:00,A,300,120,photo1.jpg,`,
        `r2,,not_poppy,油菜 rapeseed,100.0082,25.0022,5,2026-04-20T10:00:00+08:00,A,,,,`, // matched by position
        `r3,,confirmed_poppy,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,50,30,,found on the way`, // missed by scan
        `r4,${tBig.id},nothing_found,,100.005,25.0052,4,2026-04-20T12:00:00+08:00,B,,,,`, // contradicts r1
        `r5,,poppy,,100.005,25.005,4,2026-04-20T12:00:00+08:00,B,,,,`,
        `r6,TXXXX,nothing_found,,100.005,25.005,4,2026-04-20T12:00:00+08:00,B,,,,`,
        `r7,,nothing_found,,100.005,25.005,4,yesterday,B,,,,`,
      ]),
    );
    const day1 = await importReportsFile(ws, f1, 'field:A');
    expect(day1.added.map((a) => a.reportId)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(day1.rejected.map((r) => r.row)).toEqual([6, 7, 8]);
    expect(day1.rejected[0].message).toMatch(/verdict/);
    expect(day1.rejected[1].message).toMatch(/TXXXX/);
    expect(day1.rejected[2].message).toMatch(/observed_at/);
    expect(day1.added[1]).toMatchObject({ targetId: tSmall.id, match: 'by_position', to: 'inspected_negative' });
    expect(day1.newTargets).toHaveLength(1);
    expect(day1.warnings).toEqual([]);
    expect(day1.contradictions).toEqual([expect.objectContaining({ targetId: tBig.id, reportId: 'r4' })]);
    expect(dbOf(ws).prepare('SELECT count(*) AS n FROM photos').get()).toEqual({ n: 1 });
    // Same file again: idempotent by report id.
    const again = await importReportsFile(ws, f1, 'field:A');
    expect(again.added).toEqual([]);
    expect(again.unchanged.map((u) => u.reportId)).toEqual(['r1', 'r2', 'r3', 'r4']);

    const refused = certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: '王乡长' }, 'manager');
    expect(refused.certificate).toBeNull();
    const failing = Object.fromEntries(refused.evaluation.result.rules.map((r) => [r.id, r.failing.map((f) => f.id)]));
    const missed = day1.newTargets[0];
    expect(failing).toEqual({
      coverage: [],
      targets_resolved: [],
      desk_dismissals: [],
      eradication_verified: [tBig.id, missed].sort(),
      no_open_review: [tBig.id],
    });

    // A person resolves the contradiction; teams eradicate and verify on a later visit.
    setTargetStatus(ws, { targetId: tBig.id, status: 'confirmed', reason: '照片确认为罂粟 photos show poppy' }, 'manager');
    const f2 = join(dir, 'day2.geojson');
    const pt = (id: string, target: string | null, verdict: string, lon: number, lat: number, at: string) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties: { report_id: id, target_id: target, verdict, accuracy_m: 3, observed_at: at },
    });
    writeFileSync(
      f2,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          pt('r10', tBig.id, 'eradicated', 100.005, 25.0052, '2026-04-22T09:00:00+08:00'),
          pt('r11', missed, 'eradicated', 100.002, 25.008, '2026-04-22T10:00:00+08:00'),
          pt('r12', tBig.id, 'nothing_found', 100.005, 25.0052, '2026-04-29T09:00:00+08:00'),
          pt('r13', missed, 'nothing_found', 100.002, 25.008, '2026-04-29T10:00:00+08:00'),
        ],
      }),
    );
    const day2 = await importReportsFile(ws, f2, 'field:B');
    expect(day2.rejected).toEqual([]);
    expect(day2.warnings).toEqual([]);
    const far = join(dir, 'far.csv');
    writeFileSync(far, csv([`r15,${tSmall.id},nothing_found,,100.0082,25.0042,5,2026-04-23T10:00:00+08:00,A,,,,`])); // 199 m north of it
    const farR = await importReportsFile(ws, far, 'field:A');
    expect(farR.added).toHaveLength(1);
    expect(farR.warnings).toEqual([{ row: 2, reportId: 'r15', message: expect.stringMatching(/position is 199 m from target/) }]);
    expect(day2.added.map((a) => a.to)).toEqual(['eradicated', 'eradicated', 'eradication_verified', 'eradication_verified']);

    const ok = certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: '王乡长' }, 'manager');
    expect(ok.evaluation.result.certifiable).toBe(true);
    expect(ok.certificate).toMatchObject({ status: 'issued', signedBy: '王乡长', zoneId: 'V01' });
    expect(ok.certificate!.evidenceDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyCertificate(ws, ok.certificate!)).toMatchObject({ selfConsistent: true, matchesWorkspace: true });
    const edited = JSON.parse(JSON.stringify(ok.certificate!));
    edited.evidence.targets[0].status = 'inspected_negative';
    expect(verifyCertificate(ws, edited).selfConsistent).toBe(false);
    const html = certificateHtml(ok.certificate!);
    expect(html).toContain('<svg');
    expect(html).toContain(ok.certificate!.evidenceDigest);
    expect(certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: '王乡长' }, 'manager').certificate!.certId).toBe(ok.certificate!.certId);

    const labels = trainingLabels(ws, { zoneId: 'V01' });
    expect(labels.features.map((f) => [f.properties.class, f.properties.missed_by_scan]).sort()).toEqual([
      ['not_poppy', false],
      ['poppy', false],
      ['poppy', true],
    ]);
    expect(labels.features.find((f) => f.properties.class === 'not_poppy')!.properties.what).toBe('油菜 rapeseed');

    // A new scan over the certified village marks its certificate stale; certifying again on the new evidence supersedes it.
    const rescan = await importScanDir(
      ws,
      writeScanDir(join(dir, 'rescan'), [{ image: 'DJI_0100.tif', poly: rect(100.001, 25.001, 100.003, 25.003) }], []),
      'operator',
    );
    expect(rescan.staleCertificates).toEqual([ok.certificate!.certId]);
    const again2 = certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: '王乡长' }, 'manager');
    expect(again2.certificate!.certId).not.toBe(ok.certificate!.certId);
    expect(listCertificates(ws, { zoneId: 'V01' }).map((c) => c.status)).toEqual(['issued', 'revoked']);

    // A later report inside the zone marks the certificate stale.
    const f3 = join(dir, 'late.csv');
    writeFileSync(f3, csv(['r20,,confirmed_poppy,,100.009,25.009,5,2026-05-10T09:00:00+08:00,C,10,5,,']));
    const late = await importReportsFile(ws, f3, 'field:C');
    expect(late.staleCertificates).toEqual([again2.certificate!.certId]);
    expect(verifyCertificate(ws, again2.certificate!)).toMatchObject({ selfConsistent: true, matchesWorkspace: false });
    expect(listCertificates(ws, { zoneId: 'V01' })[0]).toMatchObject({ status: 'stale', statusReason: expect.stringMatching(/new ground reports/) });
    expect(revokeCertificate(ws, { zoneId: 'V01', seasonId: '2026', reason: '新发现 new finding' }, 'manager').status).toBe('revoked');
    expect(() => revokeCertificate(ws, { zoneId: 'V01', seasonId: '2026', reason: 'again' }, 'manager')).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_CONFLICT' }),
    );
    expect(verifyAudit(ws)).toMatchObject({ ok: true });

    // Tampering with the stored log is detected and the first bad entry named.
    const n = (dbOf(ws).prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    dbOf(ws).prepare(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 5`).run();
    expect(verifyAudit(ws)).toMatchObject({ ok: false, index: 4, seq: 5 });
    dbOf(ws).prepare(`UPDATE audit_log SET actor = (SELECT actor FROM audit_log WHERE seq = 4) WHERE seq = 5`).run();
    dbOf(ws).prepare(`DELETE FROM audit_log WHERE seq = ?`).run(n);
    expect(verifyAudit(ws).ok).toBe(false);

    if (hasOgrinfo) {
      ws.close();
      const res = spawnSync('ogrinfo', ['-ro', '-so', '-al', join(dir, 'ws.gpkg')], { encoding: 'utf8' });
      expect(res.status).toBe(0);
      expect(res.stderr).not.toMatch(/warning|error/i);
      const out = res.stdout;
      for (const layer of [
        'zones',
        'images',
        'candidates',
        'targets',
        'plans',
        'stops',
        'reports',
        'certifications',
        'seasons',
        'audit_log',
        'photos',
        'scans',
      ]) {
        const m = out.match(new RegExp(`Layer name: ${layer}\\n[\\s\\S]*?Feature Count: (\\d+)`));
        expect(m, layer).not.toBeNull();
        expect(Number(m![1]), layer).toBeGreaterThan(0);
      }
      const validator = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
      if (existsSync(validator)) {
        // GDAL's own GeoPackage conformance checker (requirements of the spec, R-tree triggers included).
        const v = spawnSync('/usr/bin/python3', [validator, join(dir, 'ws.gpkg')], { encoding: 'utf8' });
        expect(v.stdout + v.stderr).toBe('');
        expect(v.status).toBe(0);
      }
      const zones = execFileSync('ogrinfo', ['-ro', '-al', '-where', "zone_id='V01'", join(dir, 'ws.gpkg'), 'zones'], { encoding: 'utf8' });
      expect(zones).toMatch(/MULTIPOLYGON \(\(\(100 25,100.01 25(\.0)?,100.01 25.01,100(\.0)? 25.01,100 25\)\)\)/);
    }
  });

  it("keeps the verifier's scores: per candidate, and the best of a target's candidates; null without a verifier", async () => {
    const { dir, ws } = await setup();
    const scan = writeScanDir(join(dir, 'two-stage'), VILLAGE_IMAGES, [
      { id: 'c1', image: 'DJI_0001.tif', poly: rect(100.0045, 25.005, 100.0055, 25.0055), score: 0.8, verify: 0.995 },
      { id: 'c1', image: 'DJI_0002.tif', poly: rect(100.0047, 25.005, 100.0057, 25.0055), score: 0.9, verify: 0.999 },
      { id: 'c2', image: 'DJI_0002.tif', poly: rect(100.008, 25.002, 100.0084, 25.0024), score: 0.6 },
    ]);
    await importScanDir(ws, scan, 'operator');
    const byScore = Object.fromEntries(listTargets(ws).map((t) => [t.scoreMax, t.scoreVerify]));
    expect(byScore).toEqual({ 0.9: 0.999, 0.6: null });
    const stored = dbOf(ws).prepare('SELECT candidate_id, score_verify FROM candidates ORDER BY candidate_id').all() as {
      candidate_id: string;
      score_verify: number | null;
    }[];
    expect(stored.map((r) => r.score_verify)).toEqual([0.995, 0.999, null]);
    ws.close();
  });

  it("carries each candidate's unverified mark into the store and its target, and reads a file without the mark by its verifier score", async () => {
    const { dir, ws } = await setup();
    const scan = writeScanDir(join(dir, 'marked'), VILLAGE_IMAGES, [
      // Judged low by the verifier on one image, kept unverified on the other (too coarse there): the target is unverified.
      { id: 'c1', image: 'DJI_0001.tif', poly: rect(100.0045, 25.005, 100.0055, 25.0055), score: 0.8, verify: 0.01, unverified: false },
      { id: 'c1', image: 'DJI_0002.tif', poly: rect(100.0047, 25.005, 100.0057, 25.0055), score: 0.9, unverified: true },
      // No mark and no verifier score (a one-stage model's file from before the mark): unverified.
      { id: 'c2', image: 'DJI_0002.tif', poly: rect(100.008, 25.002, 100.0084, 25.0024), score: 0.6 },
      // No mark, a verifier score: judged.
      { id: 'c3', image: 'DJI_0001.tif', poly: rect(100.001, 25.008, 100.0014, 25.0084), score: 0.7, verify: 0.9 },
    ]);
    await importScanDir(ws, scan, 'operator');
    const stored = dbOf(ws).prepare('SELECT score_max, unverified FROM candidates ORDER BY score_max').all();
    expect(stored).toEqual([
      { score_max: 0.6, unverified: 1 },
      { score_max: 0.7, unverified: 0 },
      { score_max: 0.8, unverified: 0 },
      { score_max: 0.9, unverified: 1 },
    ]);
    expect(
      listTargets(ws)
        .map((t) => [t.scoreMax, t.scoreVerify, t.unverified])
        .sort(),
    ).toEqual([
      [0.6, null, true],
      [0.7, 0.9, false],
      [0.9, 0.01, true],
    ]);
    ws.close();
  });

  it("migration 9 marks an older workspace's candidates and targets unverified where no verifier score was kept", async () => {
    const { dir, ws } = await setup();
    const scan = writeScanDir(
      join(dir, 'old'),
      [{ image: 'DJI_0001.tif', poly: rect(99.999, 24.999, 100.006, 25.011) }],
      [
        { id: 'c1', image: 'DJI_0001.tif', poly: rect(100.0045, 25.005, 100.0055, 25.0055), score: 0.8, verify: 0.9 },
        { id: 'c2', image: 'DJI_0001.tif', poly: rect(100.001, 25.008, 100.0014, 25.0084), score: 0.6 },
      ],
    );
    await importScanDir(ws, scan, 'operator');
    const path = dbOf(ws).name;
    dbOf(ws).exec(`ALTER TABLE candidates DROP COLUMN unverified; ALTER TABLE targets DROP COLUMN unverified;`);
    MIGRATIONS.find((m) => m.version === 9)!.up(dbOf(ws));
    ws.close();
    const old = Workspace.open(path);
    expect(
      listTargets(old)
        .map((t) => [t.scoreMax, t.unverified])
        .sort(),
    ).toEqual([
      [0.6, true],
      [0.8, false],
    ]);
    expect(dbOf(old).prepare('SELECT score_max, unverified FROM candidates ORDER BY score_max').all()).toEqual([
      { score_max: 0.6, unverified: 1 },
      { score_max: 0.8, unverified: 0 },
    ]);
    old.close();
  });

  it('adds the verifier-score columns to a workspace made before them, keeping its rows', async () => {
    const { dir, ws } = await setup();
    await importScanDir(ws, villageScan(join(dir, 'scan')), 'operator');
    const path = dbOf(ws).name;
    // A workspace as schema 3 left it: no score_verify columns; migration 4 adds them (run alone, so later steps do not matter).
    dbOf(ws).exec(`ALTER TABLE candidates DROP COLUMN score_verify; ALTER TABLE targets DROP COLUMN score_verify;`);
    MIGRATIONS.find((m) => m.version === 4)!.up(dbOf(ws));
    ws.close();
    const old = Workspace.open(path);
    expect(listTargets(old).map((t) => [t.scoreMax, t.scoreVerify])).toEqual(
      expect.arrayContaining([
        [0.9, null],
        [0.6, null],
      ]),
    );
    expect(dbOf(old).prepare('SELECT count(*) AS n FROM candidates').get()).toEqual({ n: 3 });
    old.close();
  });

  it('reads scan folders exactly as tiles writes them (MultiPolygon candidates, empty footprints, extra keys)', async () => {
    const { dir, ws } = await setup();
    const d = join(dir, 'tiles-out');
    mkdirSync(d);
    writeFileSync(
      join(d, 'footprint.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: { type: 'MultiPolygon', coordinates: [rect(100, 25, 100.01, 25.01).coordinates] },
            properties: { image: 'a.tif', gsd_m: 0.05, crs: '+proj=tmerc +lon_0=102', width: 600, height: 400, acquired: '2026-04-12T02:30:00', area_km2: 1.1 },
          },
          {
            type: 'Feature',
            geometry: { type: 'MultiPolygon', coordinates: [] },
            properties: { image: 'nodata.tif', gsd_m: 0.05, crs: 'EPSG:4522', width: 10, height: 10, area_km2: 0 },
          },
        ],
      }),
    );
    writeFileSync(
      join(d, 'candidates.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            geometry: {
              type: 'MultiPolygon',
              coordinates: [rect(100.001, 25.001, 100.0012, 25.0012).coordinates, rect(100.0013, 25.001, 100.0014, 25.0011).coordinates],
            },
            properties: {
              id: 'c0123456789abcde',
              image: 'a.tif',
              model: 'redness-seg',
              model_version: '0.0.1',
              score_max: 0.99,
              score_mean: 0.8,
              area_m2: 12.5,
            },
          },
        ],
      }),
    );
    writeFileSync(join(d, 'summary.json'), JSON.stringify({ images: 2, candidates: 1, failed: [] }));
    const r = await importScanDir(ws, d, 'op');
    expect(r).toMatchObject({ imagesAdded: ['a.tif', 'nodata.tif'], candidatesAdded: 1, targetsCreated: [expect.any(String)] });
    expect(zoneCoverage(ws, 'V01').coverage.share).toBeCloseTo(1, 6);
    ws.close();
  });

  it('ignores imagery outside the flowering window and reports a gap', async () => {
    const { dir, ws } = await setup();
    await importScanDir(
      ws,
      writeScanDir(
        join(dir, 's'),
        [
          { image: 'late.tif', poly: rect(100, 25, 100.02, 25.01), acquired: '2026-06-10T00:00:00Z' },
          { image: 'half.tif', poly: rect(100, 25, 100.005, 25.01) },
        ],
        [],
      ),
      'op',
    );
    const c = zoneCoverage(ws, 'V01', '2026').coverage;
    expect(c.share).toBeCloseTo(0.5, 3);
    expect(c.rejected).toEqual([{ imageId: 'late.tif', reason: 'outside_flowering_window' }]);
    ws.close();
  });
});
