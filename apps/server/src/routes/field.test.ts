import { dbOf } from '@tiandi/store/testing';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signedInServer } from '../testing/signed-in';
import { PhotoStore } from '../uploads/photo-store';
import { fieldWorld, type WorldRole } from './field-world.test-util';

let w: Awaited<ReturnType<typeof fieldWorld>>;
beforeAll(async () => {
  w = await fieldWorld();
});
afterAll(async () => {
  await w?.cleanup();
});

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const JPEG_SHA = createHash('sha256').update(JPEG).digest('hex');

function report(id: string, targetId: string | null, extra: Record<string, unknown> = {}) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [100.00225, 25.00225] },
    properties: {
      report_id: id,
      target_id: targetId,
      verdict: 'nothing_found',
      what: null,
      accuracy_m: 5,
      observed_at: '2026-04-20T09:30:00+08:00',
      team: null,
      plant_count: null,
      area_m2: null,
      photos: [],
      notes: null,
      ...extra,
    },
  };
}

describe('field routes: access', () => {
  it('refuses every endpoint without a session (401) and for roles that may not use it (403)', async () => {
    const endpoints: { method: 'GET' | 'PUT' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string>; denied: WorldRole[] }[] = [
      { method: 'GET', url: '/api/field/assignment?team=T1', denied: ['operator'] },
      { method: 'GET', url: '/api/field/assignment.gpx?team=T1', denied: ['operator'] },
      { method: 'GET', url: `/api/field/targets/${'x'}`, denied: ['operator'] },
      {
        method: 'PUT',
        url: `/api/field/photos/${JPEG_SHA}`,
        payload: JPEG,
        headers: { 'content-type': 'image/jpeg' },
        denied: ['operator', 'planner', 'manager', 'admin'],
      },
      { method: 'POST', url: '/api/field/reports', payload: report('r-x', null), denied: ['operator', 'planner', 'manager', 'admin'] },
    ];
    for (const e of endpoints) {
      const anon = await w.app.inject({ method: e.method, url: e.url, payload: e.payload as never, headers: e.headers });
      expect(anon.statusCode, `${e.method} ${e.url} anonymous`).toBe(401);
      for (const role of e.denied) {
        const r = await w.app.inject({ method: e.method, url: e.url, payload: e.payload as never, headers: { ...e.headers, ...w.as[role] } });
        expect(r.statusCode, `${e.method} ${e.url} as ${role}`).toBe(403);
        expect(r.json().code).toBe('TIANDI_E_AUTH_ROLE');
      }
    }
  });

  it("gives a field team its own route, and 403 for another team's route or target", async () => {
    const own = await w.app.inject({ url: '/api/field/assignment', headers: w.as.field });
    expect(own.statusCode).toBe(200);
    const a = own.json();
    expect(a.team).toBe('T1');
    expect(a.stops.map((s: { targetId: string }) => s.targetId)).toEqual(w.targets.t1);
    expect(a.stops[0].amapUriGcj02).toMatch(/^https:\/\/uri\.amap\.com\/navigation\?to=100\.00/);
    expect(a.targets.features.map((f: { id: string }) => f.id).sort()).toEqual(w.targets.t1);
    expect(a.route.type).toBe('MultiLineString');

    const other = await w.app.inject({ url: '/api/field/assignment?team=T2', headers: w.as.field });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('TIANDI_E_AUTH_TEAM');
    const otherTarget = await w.app.inject({ url: `/api/field/targets/${w.targets.t2[0]}`, headers: w.as.field });
    expect(otherTarget.statusCode).toBe(403);
    const ownTarget = await w.app.inject({ url: `/api/field/targets/${w.targets.t1[0]}`, headers: w.as.field });
    expect(ownTarget.json().properties.status).toBe('planned');

    const planner = await w.app.inject({ url: '/api/field/assignment?team=T2', headers: w.as.planner });
    expect(planner.json().stops.map((s: { targetId: string }) => s.targetId)).toEqual(w.targets.t2);
    const noTeam = await w.app.inject({ url: '/api/field/assignment', headers: w.as.manager });
    expect(noTeam.statusCode).toBe(400);
    expect(noTeam.json().field).toBe('team');
  });

  it('writes the route as GPX for handheld units', async () => {
    const r = await w.app.inject({ url: '/api/field/assignment.gpx', headers: w.as.field });
    expect(r.headers['content-type']).toContain('application/gpx+xml');
    expect(r.body.match(/<wpt /g)).toHaveLength(2);
    expect(r.body).toContain(`<name>1. ${w.targets.t1[0]}</name>`);
    expect(r.body).toContain('<trkseg><trkpt lat="25.0000000" lon="100.0000000"/>');
  });
});

describe('field routes: reports', () => {
  it('accepts a photo only with the right sha256', async () => {
    const bad = await w.app.inject({
      method: 'PUT',
      url: `/api/field/photos/${'0'.repeat(64)}`,
      payload: JPEG,
      headers: { 'content-type': 'image/jpeg', ...w.as.field },
    });
    expect(bad.statusCode).toBe(460);
    expect(bad.json().code).toBe('TIANDI_E_CHECKSUM_MISMATCH');
    const wrongType = await w.app.inject({
      method: 'PUT',
      url: `/api/field/photos/${JPEG_SHA}`,
      payload: 'x',
      headers: { 'content-type': 'text/plain', ...w.as.field },
    });
    expect(wrongType.statusCode).toBeGreaterThanOrEqual(400);
    const ok = await w.app.inject({
      method: 'PUT',
      url: `/api/field/photos/${JPEG_SHA}`,
      payload: JPEG,
      headers: { 'content-type': 'image/jpeg', ...w.as.field },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, sha256: JPEG_SHA, sizeBytes: JPEG.length });
  });

  it('records a report once: a replay answers duplicate and stores nothing more', async () => {
    const body = report('r-1', w.targets.t1[0], { photos: [JPEG_SHA], verdict: 'nothing_found' });
    const first = await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: body, headers: w.as.field });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ outcome: 'created', reportId: 'r-1', targetId: w.targets.t1[0], status: 'inspected_negative' });
    for (let i = 0; i < 3; i++) {
      const again = await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: body, headers: w.as.field });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ outcome: 'duplicate', reportId: 'r-1' });
    }
    const ws = w.ws();
    expect(dbOf(ws).prepare("SELECT count(*) AS n FROM reports WHERE report_id = 'r-1'").get()).toEqual({ n: 1 });
    expect(dbOf(ws).prepare('SELECT team, photos_json FROM reports WHERE report_id = ?').get('r-1')).toEqual({
      team: 'T1',
      photos_json: JSON.stringify([JPEG_SHA]),
    });
    expect(dbOf(ws).prepare('SELECT size_bytes FROM photos WHERE sha256 = ?').get(JPEG_SHA)).toEqual({ size_bytes: JPEG.length });
    const audit = dbOf(ws).prepare("SELECT actor FROM audit_log WHERE action = 'report.add' AND subject = 'r-1'").all();
    expect(audit).toEqual([{ actor: 'field' }]);
    const changed = await w.app.inject({
      method: 'POST',
      url: '/api/field/reports',
      payload: { ...body, properties: { ...body.properties, notes: 'edited' } },
      headers: w.as.field,
    });
    expect(changed.statusCode).toBe(409);
  });

  it("refuses a report on another team's target, or in another team's name, with 403", async () => {
    const r = await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: report('r-2', w.targets.t2[0]), headers: w.as.field });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('TIANDI_E_AUTH_TEAM');
    const r2 = await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: report('r-3', null, { team: 'T2' }), headers: w.as.field });
    expect(r2.statusCode).toBe(403);
  });

  it('records a finding off the route as a new missed-by-scan target', async () => {
    const r = await w.app.inject({
      method: 'POST',
      url: '/api/field/reports',
      headers: w.as.field,
      payload: {
        ...report('r-4', null, { verdict: 'confirmed_poppy', plant_count: 300, area_m2: 120 }),
        geometry: { type: 'Point', coordinates: [100.005, 25.0085] },
      },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ outcome: 'created', newTarget: true, status: 'confirmed' });
    const a = (await w.app.inject({ url: '/api/field/assignment', headers: w.as.field })).json();
    expect(a.reports.map((x: { reportId: string }) => x.reportId)).toEqual(['r-1', 'r-4']);
    expect(a.targets.features.find((f: { id: string }) => f.id === r.json().targetId).properties.missed_by_scan).toBe(true);
  });

  it('names the bad field of an invalid report, and a photo not yet uploaded', async () => {
    const bad = await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: report('r-5', null, { verdict: 'maybe' }), headers: w.as.field });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('verdict');
    const nophoto = await w.app.inject({
      method: 'POST',
      url: '/api/field/reports',
      payload: report('r-6', null, { photos: ['a'.repeat(64)] }),
      headers: w.as.field,
    });
    expect(nophoto.statusCode).toBe(400);
    expect(nophoto.json().field).toBe('photos');
  });
});

describe("field routes: a report matched by position to another team's target (issue 15, finding 2)", () => {
  it('is recorded but not applied, and the target is flagged for review for the office', async () => {
    const stop = (await w.app.inject({ url: '/api/field/assignment?team=T2', headers: w.as.planner })).json().stops[0];
    const target = stop.targetId as string;
    const statusOf = () =>
      dbOf(w.ws()).prepare('SELECT status, review_json FROM targets WHERE target_id = ?').get(target) as { status: string; review_json: string | null };
    const before = statusOf();
    expect(before.review_json).toBeNull();
    const body = { ...report('r-scope-1', null, { verdict: 'nothing_found' }), geometry: { type: 'Point', coordinates: [stop.lon, stop.lat] } };
    const r = await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: body, headers: w.as.field });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ outcome: 'created', targetId: null, match: 'out_of_scope', status: null, review: expect.stringContaining('team T1') });
    const after = statusOf();
    expect(after.status).toBe(before.status);
    expect(JSON.parse(after.review_json!)).toMatchObject({ reportIds: ['r-scope-1'] });
    expect(dbOf(w.ws()).prepare('SELECT team, target_id, match FROM reports WHERE report_id = ?').get('r-scope-1')).toEqual({
      team: 'T1',
      target_id: null,
      match: 'out_of_scope',
    });
    // The office sees it among targets to review; the field team did not gain the target.
    for (const role of ['operator', 'manager'] as const) {
      const list = (await w.app.inject({ url: '/api/targets?review=true', headers: w.as[role] })).json();
      expect(
        list.features.map((f: { id: string }) => f.id),
        role,
      ).toContain(target);
    }
    expect((await w.app.inject({ url: `/api/field/targets/${target}`, headers: w.as.field })).statusCode).toBe(403);
    // The team that owns it still applies its own report by position.
    const own = await w.app.inject({
      method: 'POST',
      url: '/api/field/reports',
      payload: { ...body, properties: { ...body.properties, report_id: 'r-scope-2' } },
      headers: w.as.field2,
    });
    expect(own.json()).toMatchObject({ outcome: 'created', targetId: target, match: 'by_position', status: 'inspected_negative' });
  });
});

describe('field routes: photos are named by sha256 only (issue 15, finding 1)', () => {
  it('refuses path-like photo names with 400 naming the field, and reads or deletes nothing', async () => {
    const photoDir = path.join(w.dir, 'data', 'field-photos');
    const workspace = path.join(w.dir, 'w.gpkg');
    const canary = path.join(path.dirname(w.dir), `tiandi-canary-${process.pid}-${Date.now()}`);
    fs.writeFileSync(canary, 'canary');
    try {
      const before = fs.readFileSync(workspace);
      const reportsBefore = dbOf(w.ws()).prepare('SELECT count(*) AS n FROM reports').get();
      const names = [
        '../../w.gpkg',
        path.relative(photoDir, workspace),
        path.relative(photoDir, canary),
        canary,
        '/etc/hostname',
        'A'.repeat(64),
        `${'a'.repeat(63)}/`,
        42,
      ];
      for (const [i, name] of names.entries()) {
        const r = await w.app.inject({
          method: 'POST',
          url: '/api/field/reports',
          payload: report(`r-path-${i}`, null, { photos: [name] }),
          headers: w.as.field,
        });
        expect(r.statusCode, String(name)).toBe(400);
        expect(r.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'photos' });
      }
      const notArray = await w.app.inject({
        method: 'POST',
        url: '/api/field/reports',
        payload: report('r-path-x', null, { photos: '../../w.gpkg' }),
        headers: w.as.field,
      });
      expect(notArray.statusCode).toBe(400);
      expect(notArray.json().field).toBe('photos');
      expect(fs.readFileSync(canary, 'utf8')).toBe('canary');
      expect(fs.existsSync(workspace)).toBe(true);
      expect(fs.readFileSync(workspace).equals(before)).toBe(true);
      expect(dbOf(w.ws()).prepare('SELECT count(*) AS n FROM reports').get()).toEqual(reportsBefore);
      expect(dbOf(w.ws()).prepare("SELECT count(*) AS n FROM photos WHERE size_bytes = 6 OR sha256 NOT GLOB '[0-9a-f]*'").get()).toEqual({ n: 0 });
      // The workspace still answers after the attempts: accounts and targets are where they were.
      expect((await w.app.inject({ url: '/api/field/assignment', headers: w.as.field })).json().stops).toHaveLength(2);
    } finally {
      fs.rmSync(canary, { force: true });
    }
  });

  it('checks photo bytes by content against the claimed type', async () => {
    const put = (body: Buffer, type: string) =>
      w.app.inject({
        method: 'PUT',
        url: `/api/field/photos/${createHash('sha256').update(body).digest('hex')}`,
        payload: body,
        headers: { 'content-type': type, ...w.as.field },
      });
    const text = Buffer.from('root:x:0:0:root:/root:/bin/bash\n');
    const notImage = await put(text, 'image/jpeg');
    expect(notImage.statusCode).toBe(400);
    expect(notImage.json()).toMatchObject({ code: 'TIANDI_E_VALIDATION', field: 'body' });
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('claimed-jpeg')]);
    const wrong = await put(png, 'image/jpeg');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ field: 'content-type', message: expect.stringContaining('image/png') });
    expect((await put(png, 'image/png')).statusCode).toBe(200);
  });

  it('bounds photos waiting for their report (413) and deletes unclaimed ones after the expiry', async () => {
    const store = new PhotoStore(path.join(w.dir, 'data', 'staged-test'));
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('old-photo')]);
    const sha = createHash('sha256').update(png).digest('hex');
    store.put(sha, png, 'image/png');
    expect(store.heldBytes()).toBe(png.length);
    expect(store.sweep(3600_000)).toBe(0);
    expect(store.sweep(3600_000, Date.now() + 2 * 3600_000)).toBe(1);
    expect(store.read(sha)).toBeNull();
    const small = await signedInServer({ runJobs: false, photoStagingBytes: 1000 });
    try {
      const put = (n: number) => {
        const body = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(400, n)]);
        return small.app.inject({
          method: 'PUT',
          url: `/api/field/photos/${createHash('sha256').update(body).digest('hex')}`,
          payload: body,
          headers: { 'content-type': 'image/png', ...small.as.field },
        });
      };
      expect((await put(1)).statusCode).toBe(200);
      expect((await put(2)).statusCode).toBe(200);
      const over = await put(3);
      expect(over.statusCode).toBe(413);
      expect(over.json()).toMatchObject({ code: 'TIANDI_E_UPLOAD_QUOTA', field: 'body' });
    } finally {
      await small.cleanup();
    }
  });

  it('answers 507 with a clear code when the disk is full, leaving no partial photo', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('disk-full-test')]);
    const sha = createHash('sha256').update(png).digest('hex');
    const full = vi.spyOn(fs, 'writeFileSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
    });
    try {
      const r = await w.app.inject({ method: 'PUT', url: `/api/field/photos/${sha}`, payload: png, headers: { 'content-type': 'image/png', ...w.as.field } });
      expect(r.statusCode).toBe(507);
      expect(r.json()).toMatchObject({ code: 'TIANDI_E_DISK_FULL', message: expect.stringContaining('disk is full') });
    } finally {
      full.mockRestore();
    }
    expect(fs.readdirSync(path.join(w.dir, 'data', 'field-photos')).filter((f) => f.startsWith(sha))).toEqual([]);
  });

  it('stores an uploaded photo in the workspace and removes only its own staged copy', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('tiandi-photo-test')]);
    const sha = createHash('sha256').update(png).digest('hex');
    expect(
      (await w.app.inject({ method: 'PUT', url: `/api/field/photos/${sha}`, payload: png, headers: { 'content-type': 'image/png', ...w.as.field } }))
        .statusCode,
    ).toBe(200);
    const staged = path.join(w.dir, 'data', 'field-photos', sha);
    expect(fs.existsSync(staged)).toBe(true);
    const r = await w.app.inject({ method: 'POST', url: '/api/field/reports', payload: report('r-photo-ok', null, { photos: [sha] }), headers: w.as.field });
    expect(r.statusCode).toBe(201);
    expect(fs.existsSync(staged)).toBe(false);
    expect(dbOf(w.ws()).prepare('SELECT mime, size_bytes FROM photos WHERE sha256 = ?').get(sha)).toEqual({ mime: 'image/png', size_bytes: png.length });
  });
});

describe('field routes: reports exported by other field apps', () => {
  const csv = (ids: string[], [lon, lat]: number[]) =>
    [
      'end,verdict,_geolocation_latitude,_geolocation_longitude,_geolocation_precision,meta/instanceID,target',
      ...ids.map((id, i) => `2026-04-2${i}T10:00:00+08:00,${i === 2 ? 'perhaps' : 'nothing'},${lat},${lon},5,uuid:${id},`),
    ].join('\n');

  it('imports a Kobo CSV for a team (office roles only), keeps good rows, names bad ones, and is idempotent', async () => {
    const stop = (await w.app.inject({ url: '/api/field/assignment?team=T2', headers: w.as.planner })).json().stops[0];
    const payload = { fileName: 'kobo.csv', text: csv(['k1', 'k2', 'k3'], [stop.lon, stop.lat]), team: 'T2' };
    expect((await w.app.inject({ method: 'POST', url: '/api/field/reports/import', payload })).statusCode).toBe(401);
    expect((await w.app.inject({ method: 'POST', url: '/api/field/reports/import', payload, headers: w.as.field })).statusCode).toBe(403);
    expect((await w.app.inject({ method: 'POST', url: '/api/field/reports/import', payload, headers: w.as.operator })).statusCode).toBe(403);
    const r = await w.app.inject({ method: 'POST', url: '/api/field/reports/import', payload, headers: w.as.planner });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.added.map((a: { reportId: string }) => a.reportId)).toEqual(['k1', 'k2']);
    expect(body.added[0]).toMatchObject({ targetId: w.targets.t2[0], match: 'by_position' });
    expect(body.rejected).toEqual([{ row: 4, message: expect.stringContaining("verdict 'perhaps'") }]);
    expect(body.mapping).toMatchObject({ 'meta/instanceID': 'report_id', _geolocation_latitude: 'lat' });
    const again = (await w.app.inject({ method: 'POST', url: '/api/field/reports/import', payload, headers: w.as.manager })).json();
    expect(again.added).toEqual([]);
    expect(again.unchanged).toEqual(['k1', 'k2']);
    const audit = dbOf(w.ws()).prepare("SELECT actor FROM audit_log WHERE action = 'report.add' AND subject IN ('k1','k2')").all();
    expect(audit).toEqual([{ actor: 'planner' }, { actor: 'planner' }]);
  });
});
