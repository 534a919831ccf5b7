import { dbOf } from '@tiandi/store/testing';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldWorld, type WorldRole } from './field-world.test-util';

let w: Awaited<ReturnType<typeof fieldWorld>>;
beforeAll(async () => {
  w = await fieldWorld();
});
afterAll(async () => {
  await w?.cleanup();
});

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
if (!hasPoppler) console.warn('NOTICE: pdftotext (poppler-utils) not found — reading the issued certificate PDF back is skipped (.ci/run installs it).');

function report(id: string, targetId: string | null, coords: [number, number] = [100.00225, 25.00225], verdict = 'nothing_found') {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: coords },
    properties: {
      report_id: id,
      target_id: targetId,
      verdict,
      what: null,
      accuracy_m: 5,
      observed_at: '2026-04-20T09:30:00+08:00',
      team: null,
      plant_count: null,
      area_m2: null,
      photos: [],
      notes: null,
    },
  };
}

describe('manager routes: access', () => {
  it('refuses every endpoint without a session (401) and for other roles (403)', async () => {
    const endpoints: { method: 'GET' | 'POST'; url: string; payload?: unknown; denied: WorldRole[] }[] = [
      { method: 'GET', url: '/api/manager/zones', denied: ['operator', 'planner', 'field'] },
      { method: 'GET', url: '/api/manager/zones/V01', denied: ['operator', 'planner', 'field'] },
      { method: 'POST', url: '/api/manager/zones/V01/certify', payload: {}, denied: ['operator', 'planner', 'field', 'admin'] },
      { method: 'POST', url: '/api/manager/certificates/C-x/revoke', payload: { reason: 'test' }, denied: ['operator', 'planner', 'field', 'admin'] },
      { method: 'GET', url: '/api/manager/certificates', denied: ['operator', 'planner', 'field'] },
      { method: 'GET', url: '/api/manager/certificates/C-x/pdf', denied: ['operator', 'planner', 'field'] },
      { method: 'GET', url: '/api/manager/certificates/C-x/page', denied: ['operator', 'planner', 'field'] },
      { method: 'GET', url: '/api/manager/audit?zone=V01', denied: ['operator', 'planner', 'field'] },
      { method: 'POST', url: '/api/manager/audit/verify', payload: {}, denied: ['operator', 'planner', 'field'] },
    ];
    for (const e of endpoints) {
      const anon = await w.app.inject({ method: e.method, url: e.url, payload: e.payload as never });
      expect(anon.statusCode, `${e.method} ${e.url} anonymous`).toBe(401);
      for (const role of e.denied) {
        const r = await w.app.inject({ method: e.method, url: e.url, payload: e.payload as never, headers: w.as[role] });
        expect(r.statusCode, `${e.method} ${e.url} as ${role}`).toBe(403);
      }
    }
  });
});

describe('manager routes: the certification path', () => {
  it('shows the zone tree with coverage, targets by status and open items', async () => {
    const r = await w.app.inject({ url: '/api/manager/zones', headers: w.as.manager });
    expect(r.statusCode).toBe(200);
    const zones = r.json().zones as {
      zoneId: string;
      name: string;
      level: string;
      coverageShare: number;
      targetsByStatus: Record<string, number>;
      openItems: number;
      certifiable: boolean;
      failingRules: string[];
    }[];
    expect(zones.map((z) => [z.zoneId, z.name, z.level])).toEqual([
      ['T01', '新寨乡', 'township'],
      ['V01', '上寨村', 'village'],
      ['V02', '下寨村', 'village'],
    ]);
    const v1 = zones.find((z) => z.zoneId === 'V01')!;
    expect(v1.coverageShare).toBeCloseTo(1, 6);
    expect(v1.targetsByStatus).toEqual({ planned: 3 });
    expect(v1.openItems).toBe(3);
    expect(v1.certifiable).toBe(false);
    expect(v1.failingRules).toEqual(['targets_resolved']);
    expect(zones.find((z) => z.zoneId === 'V02')!.failingRules).toContain('coverage');
  });

  it('refuses certification with the failing rules and their features, then certifies once the evidence is complete', async () => {
    const refused = await w.app.inject({ method: 'POST', url: '/api/manager/zones/V01/certify', payload: {}, headers: w.as.manager });
    expect(refused.statusCode).toBe(409);
    const body = refused.json();
    expect(body.code).toBe('TIANDI_E_NOT_CERTIFIABLE');
    const failing = body.rules.find((r: { id: string }) => r.id === 'targets_resolved');
    expect(failing.pass).toBe(false);
    expect(failing.failing.map((f: { id: string }) => f.id).sort()).toEqual([...w.targets.t1, ...w.targets.t2].sort());

    const detail = (await w.app.inject({ url: '/api/manager/zones/V01', headers: w.as.manager })).json();
    expect(detail.parents).toEqual(['新寨乡']);
    expect(detail.targets.features).toHaveLength(3);
    expect(detail.evidenceDigest).toMatch(/^[0-9a-f]{64}$/);

    const ids = [...w.targets.t1, ...w.targets.t2];
    const centres = detail.targets.features.map((f: { id: string; geometry: { type: string; coordinates: number[][][] } }) => {
      const ring = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : (f.geometry.coordinates as unknown as number[][][][])[0][0];
      return [f.id, [ring[0][0] + 0.0001, ring[0][1] + 0.0001]] as const;
    });
    const at = (id: string) => centres.find((c: readonly [string, number[]]) => c[0] === id)![1] as [number, number];
    for (const id of w.targets.t1)
      expect((await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: report(`m-${id}`, id, at(id)), headers: w.as.field })).statusCode).toBe(
        201,
      );
    for (const id of w.targets.t2)
      expect((await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: report(`m-${id}`, id, at(id)), headers: w.as.field2 })).statusCode).toBe(
        201,
      );
    expect(ids).toHaveLength(3);

    const ok = await w.app.inject({ method: 'POST', url: '/api/manager/zones/V01/certify', payload: {}, headers: w.as.manager });
    expect(ok.statusCode).toBe(201);
    const cert = ok.json().certificate;
    expect(cert).toMatchObject({ zoneId: 'V01', zoneName: '上寨村', seasonId: '2026', status: 'issued', signedBy: 'manager' });

    const tree = (await w.app.inject({ url: '/api/manager/zones', headers: w.as.manager })).json().zones;
    expect(tree.find((z: { zoneId: string }) => z.zoneId === 'V01')).toMatchObject({
      certifiable: true,
      openItems: 0,
      certificate: { status: 'issued', certId: cert.certId },
    });

    const pdf = await w.app.inject({ url: `/api/manager/certificates/${encodeURIComponent(cert.certId)}/pdf`, headers: w.as.manager });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (hasPoppler) {
      const file = path.join(w.dir, 'cert.pdf');
      fs.writeFileSync(file, pdf.rawPayload);
      expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+1\n/);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text).toContain('上寨村');
      expect(text).toContain('新寨乡 › 上寨村');
      expect(text).toContain(cert.evidenceDigest);
    }
    const page = await w.app.inject({ url: `/api/manager/certificates/${encodeURIComponent(cert.certId)}/page`, headers: w.as.admin });
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(cert.evidenceDigest);

    // A later report in the zone makes the certificate stale.
    const late = await w.app.inject({
      method: 'POST',
      url: '/api/field/reports',
      payload: report('late-1', null, [100.001, 25.009], 'nothing_found'),
      headers: w.as.field,
    });
    expect(late.statusCode).toBe(201);
    const stale = (await w.app.inject({ url: '/api/manager/certificates?status=stale', headers: w.as.manager })).json().certificates;
    expect(stale.map((c: { certId: string }) => c.certId)).toEqual([cert.certId]);

    const revoke = await w.app.inject({
      method: 'POST',
      url: `/api/manager/certificates/${encodeURIComponent(cert.certId)}/revoke`,
      payload: { reason: '复查 re-check' },
      headers: w.as.manager,
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json().certificate).toMatchObject({ status: 'revoked', statusReason: '复查 re-check' });
    const again = await w.app.inject({
      method: 'POST',
      url: `/api/manager/certificates/${encodeURIComponent(cert.certId)}/revoke`,
      payload: { reason: 'twice' },
      headers: w.as.manager,
    });
    expect(again.statusCode).toBe(409);

    const audit = (await w.app.inject({ url: '/api/manager/audit?zone=V01', headers: w.as.manager })).json();
    const actions = audit.entries.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`);
    expect(actions).toContain('certificate.refused:manager');
    expect(actions).toContain('certificate.issue:manager');
    expect(actions).toContain('certificate.revoke:manager');
    expect(actions).toContain('report.add:field');
    expect(actions).toContain('report.add:field2');
    const perTarget = (await w.app.inject({ url: `/api/manager/audit?target=${w.targets.t1[0]}`, headers: w.as.manager })).json();
    expect(perTarget.entries.every((e: { subject: string }) => e.subject === w.targets.t1[0] || e.subject === `m-${w.targets.t1[0]}`)).toBe(true);
    expect(perTarget.entries.length).toBeGreaterThanOrEqual(2);

    const verdict = (await w.app.inject({ method: 'POST', url: '/api/manager/audit/verify', payload: {}, headers: w.as.manager })).json().verdict;
    expect(verdict.ok).toBe(true);
    // Tamper with one entry: the verify button names it.
    dbOf(w.ws()).prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").run();
    const bad = (await w.app.inject({ method: 'POST', url: '/api/manager/audit/verify', payload: {}, headers: w.as.manager })).json().verdict;
    expect(bad).toMatchObject({ ok: false, seq: 3 });
  });
});
