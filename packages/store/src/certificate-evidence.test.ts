import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestOf } from '@tiandi/geo';
import { describe, expect, it } from 'vitest';
import { buildEvidence, CURRENT_EVIDENCE_VERSION, EVIDENCE_VERSIONS, evidenceVersionOf, parseEvidence } from './certificate-evidence';
import { certifyZone, evaluateZone, verifyCertificate, type Certificate } from './certify-zone';
import { dismissTargetAtDesk } from './desk-decisions';
import { importReports } from './import-reports';
import { importScanDir } from './import-scan-dir';
import { importZones } from './import-zones';
import { setSeason } from './set-season';
import { listTargets } from './targets';
import { tmp } from './test-world.test-util';
import { Workspace } from './workspace';

/**
 * Certificates issued by each evidence version (`v<n>.json`), kept as they were issued: they stand for certificates
 * in people's hands and are never rewritten. `UPDATE_GOLDEN=1` writes the current version's file only when it is
 * missing (after a new evidence version is added).
 */
const FIXTURES = new URL('../test/in/certificates/', import.meta.url);

// The world the fixtures were issued on, written out here in full (not taken from the shared test world, which may
// change): village V1 flown in one image, three candidates — one confirmed, eradicated and verified on a later visit,
// one not poppy, one dismissed at the desk and visited as the ground-audit sample.
const SQUARE = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});
const ZONES = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { zone_id: 'V1', name: '证据村' }, geometry: SQUARE(101, 24, 101.01, 24.01) }],
};
const SEASON = {
  id: '2026',
  name: '2026 禁种季',
  year: 2026,
  policy: { min_coverage_share: 0.98, desk_dismissal: { allowed: true, max_score: 0.5, audit_share: 0.1, audit_min: 1 } },
};
const FOOTPRINT = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: SQUARE(100.999, 23.999, 101.011, 24.011),
      properties: { image: 'E_0001.tif', gsd_m: 0.05, crs: 'EPSG:32647', width: 4000, height: 3000, acquired: '2026-04-12T02:30:00Z' },
    },
  ],
};
const candidate = (id: string, x: number, y: number, score: number) => ({
  type: 'Feature',
  geometry: SQUARE(x, y, x + 0.0003, y + 0.0003),
  properties: {
    id,
    score_max: score,
    score_mean: score * 0.8,
    score_verify: score,
    area_m2: 900,
    image: 'E_0001.tif',
    model: 'poppy-synth',
    model_version: '1.0.0',
  },
});
const CANDIDATES = {
  type: 'FeatureCollection',
  features: [candidate('c-poppy', 101.002, 24.002, 0.92), candidate('c-rape', 101.006, 24.002, 0.61), candidate('c-roof', 101.004, 24.007, 0.41)],
};

function clock() {
  let t = Date.parse('2026-04-15T00:00:00Z');
  return () => new Date((t += 1000)).toISOString();
}

const report = (
  reportId: string,
  t: { id: string; geometry: { coordinates: unknown } },
  verdict: 'confirmed_poppy' | 'eradicated' | 'nothing_found' | 'not_poppy',
  observedAt: string,
) => {
  const [x, y] = (t.geometry.coordinates as number[][][][])[0][0][0];
  return {
    row: 1,
    report: {
      reportId,
      targetId: t.id,
      verdict,
      what: verdict === 'not_poppy' ? '油菜 rapeseed' : null,
      position: [x + 0.0001, y + 0.0001] as [number, number],
      accuracyM: 4,
      observedAt,
      team: 'A',
      plantCount: null,
      areaM2: null,
      photos: [],
      notes: null,
    },
  };
};

/** The workspace of the fixtures, rebuilt from the inputs above. */
async function evidenceWorld(): Promise<Workspace> {
  const dir = tmp('tiandi-evidence-');
  const ws = Workspace.create(join(dir, 'ws.gpkg'), { now: clock() });
  importZones(ws, ZONES, { level: 'village' }, 'lead');
  setSeason(ws, SEASON, 'lead');
  const scan = join(dir, 'scan');
  mkdirSync(scan);
  writeFileSync(join(scan, 'footprint.geojson'), JSON.stringify(FOOTPRINT));
  writeFileSync(join(scan, 'candidates.geojson'), JSON.stringify(CANDIDATES));
  writeFileSync(join(scan, 'summary.json'), JSON.stringify({ images: 1, candidates: 3 }));
  await importScanDir(ws, scan, 'operator');
  const [roof, rape, poppy] = listTargets(ws, { zoneId: 'V1' }).sort((a, b) => a.scoreMax - b.scoreMax);
  dismissTargetAtDesk(ws, { targetId: roof.id, reason: '屋顶 roof' }, 'op-li');
  importReports(
    ws,
    [report('e1', poppy, 'confirmed_poppy', '2026-04-20T09:00:00+08:00'), report('e2', rape, 'not_poppy', '2026-04-20T10:00:00+08:00')],
    'field:A',
  );
  importReports(
    ws,
    [report('e3', poppy, 'eradicated', '2026-04-22T09:00:00+08:00'), report('e4', roof, 'nothing_found', '2026-04-22T10:00:00+08:00')],
    'field:A',
  );
  importReports(ws, [report('e5', poppy, 'nothing_found', '2026-04-29T09:00:00+08:00')], 'field:A');
  return ws;
}

function fixtureFiles(): string[] {
  return existsSync(FIXTURES)
    ? readdirSync(FIXTURES)
        .filter((f) => /^v\d+\.json$/.test(f))
        .sort()
    : [];
}

describe('certificate evidence, typed and versioned', () => {
  it('issues today a certificate whose evidence fits the current version, with desk decisions and reports in it', async () => {
    const ws = await evidenceWorld();
    try {
      const { certificate, evaluation } = certifyZone(ws, { zoneId: 'V1', seasonId: '2026', signer: '王乡长' }, 'manager');
      expect(evaluation.result.rules.filter((r) => !r.pass)).toEqual([]);
      const cert = certificate!;
      expect(evidenceVersionOf(cert.evidence)).toBe(CURRENT_EVIDENCE_VERSION);
      expect(parseEvidence(JSON.parse(JSON.stringify(cert.evidence))).version).toBe(CURRENT_EVIDENCE_VERSION);
      expect(cert.evidence.targets.map((t) => [t.status, t.desk?.by ?? null, t.ground_audit ?? null]).sort()).toEqual([
        ['eradication_verified', null, null],
        ['inspected_negative', null, null],
        ['inspected_negative', 'op-li', true],
      ]);
      expect(cert.evidence.reports.map((r) => r.report_id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
      expect(verifyCertificate(ws, cert)).toMatchObject({ selfConsistent: true, matchesWorkspace: true });
      const current = join(FIXTURES.pathname, `v${CURRENT_EVIDENCE_VERSION}.json`);
      if (process.env.UPDATE_GOLDEN === '1' && !existsSync(current)) {
        mkdirSync(FIXTURES.pathname, { recursive: true });
        writeFileSync(current, `${JSON.stringify(cert, null, 2)}\n`);
      }
    } finally {
      ws.close();
    }
  });

  it('keeps verifying every certificate issued by an earlier version, against the same workspace rebuilt now', async () => {
    const files = fixtureFiles();
    expect(files).toContain('v1.json');
    const ws = await evidenceWorld();
    try {
      for (const file of files) {
        const cert = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Certificate;
        const { version } = parseEvidence(cert.evidence);
        expect(`v${version}.json`).toBe(file);
        expect(digestOf(cert.evidence), `${file}: canonical JSON and sha256 still give the digest it was issued with`).toBe(cert.evidenceDigest);
        expect(verifyCertificate(ws, cert), `${file}: its version's evidence, recomputed from the workspace, is what it was`).toEqual({
          selfConsistent: true,
          matchesWorkspace: true,
          currentDigest: cert.evidenceDigest,
        });
      }
    } finally {
      ws.close();
    }
  });

  it('tells an edited certificate, and a workspace that changed since, from a good one', async () => {
    const cert = JSON.parse(readFileSync(new URL('v1.json', FIXTURES), 'utf8')) as Certificate;
    const ws = await evidenceWorld();
    try {
      const edited = JSON.parse(JSON.stringify(cert)) as Certificate;
      edited.evidence.targets[0].status = 'detected';
      expect(verifyCertificate(ws, edited)).toMatchObject({ selfConsistent: false, matchesWorkspace: true });
      importReports(ws, [report('e6', listTargets(ws, { zoneId: 'V1' })[0], 'nothing_found', '2026-05-02T09:00:00+08:00')], 'field:A');
      expect(verifyCertificate(ws, cert)).toMatchObject({ selfConsistent: true, matchesWorkspace: false });
    } finally {
      ws.close();
    }
  });

  it('names the field of evidence that does not fit its version, and refuses a version this program does not know', async () => {
    const cert = JSON.parse(readFileSync(new URL('v1.json', FIXTURES), 'utf8')) as Certificate;
    const broken = JSON.parse(JSON.stringify(cert.evidence));
    broken.images[0].gsd_m = 'fine';
    expect(() => parseEvidence(broken)).toThrow(expect.objectContaining({ code: 'TIANDI_E_INPUT', field: 'evidence.images.0.gsd_m' }));
    const future = { ...cert.evidence, version: CURRENT_EVIDENCE_VERSION + 1 };
    expect(() => parseEvidence(future)).toThrow(expect.objectContaining({ code: 'TIANDI_E_INPUT', field: 'evidence.version' }));
    const ws = await evidenceWorld();
    try {
      expect(() => verifyCertificate(ws, { ...cert, evidence: future as never })).toThrow(
        expect.objectContaining({ code: 'TIANDI_E_INPUT', field: 'evidence.version' }),
      );
      // Version 1 has no version key, so certificates issued before versions existed keep their digest.
      expect(evaluateZone(ws, 'V1', '2026', 1).evidence).not.toHaveProperty('version');
      expect(Object.keys(EVIDENCE_VERSIONS).map(Number)).toContain(CURRENT_EVIDENCE_VERSION);
      expect(() => buildEvidence({} as never, 0)).toThrow(expect.objectContaining({ field: 'evidence.version' }));
    } finally {
      ws.close();
    }
  });
});
