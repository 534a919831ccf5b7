import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { signedInServer } from '../testing/signed-in';
import { triageWorld } from '../triage/triage-world.test-util';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-triage-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'data');
  const world = await triageWorld(dir, dataDir);
  const s = await signedInServer({ workspacePath: world.workspacePath, dataDir, runJobs: false });
  cleanups.unshift(s.cleanup);
  const post = (url: string, payload: unknown, who = s.as.operator) => s.app.inject({ method: 'POST', url, payload: payload as object, headers: who });
  const get = (url: string, who = s.as.operator) => s.app.inject({ url, headers: who });
  return { ...s, post, get, world, dataDir };
}

type Item = { targetId: string };

/** One reviewer working through the gallery: asks for the next few, decides each, until nothing is handed out. */
async function review(
  post: (url: string, payload: unknown, who?: { authorization: string }) => Promise<{ statusCode: number; json(): any }>,
  who: { authorization: string },
  reason: string,
) {
  const decided: string[] = [],
    refused: number[] = [];
  for (;;) {
    const items: Item[] = (await post('/api/triage/next', { count: 3 }, who)).json().items;
    if (!items.length) return { decided, refused };
    for (const i of items) {
      const r = await post(`/api/triage/${encodeURIComponent(i.targetId)}/decision`, { decision: 'not_poppy', reason }, who);
      if (r.statusCode === 200) decided.push(i.targetId);
      else refused.push(r.statusCode);
    }
  }
}

describe('triage routes', () => {
  it('hands each reviewer different candidates, records decisions with their actor, undoes, and cuts chips from the orthophoto', async () => {
    const { get, post, app, as, world } = await setup();
    const list = (await get('/api/triage')).json();
    expect(list.total).toBe(world.candidates);
    expect(list.total).toBe(12);
    expect(list.reviewed).toBe(0);

    // Two reviewers at once: the second is not handed what the first holds.
    const a = (await post('/api/triage/next', { count: 5 })).json().items.map((i: { targetId: string }) => i.targetId);
    const b = (await post('/api/triage/next', { count: 5 }, as.manager)).json().items.map((i: { targetId: string }) => i.targetId);
    expect(a).toHaveLength(5);
    expect(b).toHaveLength(5);
    expect(a.filter((id: string) => b.includes(id))).toEqual([]);
    const bad = await post(`/api/triage/${encodeURIComponent(a[0])}/decision`, { decision: 'poppy_like' }, as.manager);
    expect(bad.statusCode).toBe(409);
    expect(bad.json().message).toMatch(/being reviewed by operator/);

    expect((await post(`/api/triage/${encodeURIComponent(a[0])}/decision`, { decision: 'not_poppy' })).json()).toMatchObject({
      code: 'TIANDI_E_INPUT',
      field: 'reason',
    });
    expect((await post(`/api/triage/${encodeURIComponent(a[0])}/decision`, { decision: 'not_poppy', reason: 'chimney' })).json().field).toBe('reason');
    const d = await post(`/api/triage/${encodeURIComponent(a[0])}/decision`, { decision: 'not_poppy', reason: 'roof', note: '红色屋顶 red roof' });
    expect(d.statusCode).toBe(200);
    expect(d.json()).toMatchObject({ decision: 'not_poppy', actor: 'operator', reason: 'roof', modelVersions: ['redness-seg@0.0.1'] });
    expect((await post(`/api/triage/${encodeURIComponent(a[1])}/decision`, { decision: 'poppy_like' })).json().decision).toBe('poppy_like');
    expect((await post(`/api/triage/${encodeURIComponent(a[2])}/decision`, { decision: 'skip' })).json().decision).toBe('skip');
    const target = (await get(`/api/targets/${encodeURIComponent(a[0])}`)).json();
    expect(target.properties.status).toBe('dismissed_desk');
    expect(target.history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual(
      expect.arrayContaining([
        ['triage.decide', 'operator'],
        ['target.desk_dismiss', 'operator'],
      ]),
    );
    expect((await get('/api/triage')).json().reviewed).toBe(2);

    // Undo: only the reviewer who decided (or a manager).
    expect((await app.inject({ method: 'DELETE', url: `/api/triage/${encodeURIComponent(a[0])}/decision`, headers: as.operator })).statusCode).toBe(200);
    expect((await get(`/api/targets/${encodeURIComponent(a[0])}`)).json().properties.status).toBe('detected');
    expect((await get('/api/triage')).json().reviewed).toBe(1);

    // Chips: the orthophoto around the target at full resolution (0.1 m: a 2-m plot is 20 px; 1.5× context, at least 96 px).
    const chip = await get(`/api/triage/${encodeURIComponent(a[3])}/chip.png`);
    expect(chip.statusCode).toBe(200);
    expect(chip.headers['content-type']).toBe('image/png');
    const meta = await sharp(chip.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([96, 96]);
    const { data, info } = await sharp(chip.rawPayload).raw().toBuffer({ resolveWithObject: true });
    const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    expect(px(48, 48)).toEqual([230, 30, 30]); // the red plot in the middle
    // The scan's heatmap over the chip: the plot turns the ramp's red-orange, its surroundings stay as they were.
    const heat = await sharp((await get(`/api/triage/${encodeURIComponent(a[3])}/chip.png?heat=1`)).rawPayload)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const hpx = (x: number, y: number) => [
      ...heat.data.subarray((y * heat.info.width + x) * heat.info.channels, (y * heat.info.width + x) * heat.info.channels + 3),
    ];
    expect(hpx(48, 48)).not.toEqual(px(48, 48));
    expect(hpx(48, 48)[0]).toBeGreaterThan(200);
    expect(hpx(2, 2)).toEqual(px(2, 2));
    const wide = await sharp((await get(`/api/triage/${encodeURIComponent(a[3])}/chip.png?context=6`)).rawPayload).metadata();
    expect(wide.width).toBeGreaterThanOrEqual(100);
    expect((await get('/api/triage/nope/chip.png')).statusCode).toBe(404);
    expect((await get('/api/triage', as.planner)).statusCode).toBe(403);
  });

  it('two reviewers at once never decide the same candidate; skips are audited; leases outlive a server restart', async () => {
    const { post, get, as, world, dataDir, app: setupApp } = await setup();
    // Both reviewers work at the same time (their requests interleave on one server).
    const [op, mgr] = await Promise.all([review(post, as.operator, 'roof'), review(post, as.manager, 'tarp')]);
    expect(op.refused).toEqual([]);
    expect(mgr.refused).toEqual([]);
    expect(op.decided.filter((id) => mgr.decided.includes(id))).toEqual([]);
    expect([...op.decided, ...mgr.decided].sort()).toHaveLength(12);
    expect(op.decided.length).toBeGreaterThan(0);
    expect(mgr.decided.length).toBeGreaterThan(0);
    const list = (await get('/api/triage')).json();
    expect(list.reviewed).toBe(12);
    for (const i of list.items) expect(i.decision.actor).toBe(op.decided.includes(i.targetId) ? 'operator' : 'manager');

    // A skip changes nothing on the target but is on record with its reviewer.
    const id = op.decided[0];
    expect((await setupApp.inject({ method: 'DELETE', url: `/api/triage/${encodeURIComponent(id)}/decision`, headers: as.operator })).statusCode).toBe(200);
    expect((await post(`/api/triage/${encodeURIComponent(id)}/decision`, { decision: 'skip' })).json()).toEqual({ targetId: id, decision: 'skip' });
    const history = (await get(`/api/targets/${encodeURIComponent(id)}`)).json().history.map((h: { action: string; actor: string }) => [h.action, h.actor]);
    expect(history).toContainEqual(['triage.skip', 'operator']);

    // Restart: the operator's lease on a fresh hand is kept in the workspace, so the new server does not give it to the manager.
    const held: string[] = (await post('/api/triage/next', { count: 5 })).json().items.map((i: Item) => i.targetId);
    expect(held).toEqual([id]);
    const again = await signedInServer({ workspacePath: world.workspacePath, dataDir, runJobs: false });
    try {
      const next = await again.app.inject({ method: 'POST', url: '/api/triage/next', payload: { count: 5 }, headers: again.as.manager });
      expect(next.json().items).toEqual([]);
      const steal = await again.app.inject({
        method: 'POST',
        url: `/api/triage/${encodeURIComponent(id)}/decision`,
        payload: { decision: 'poppy_like' },
        headers: again.as.manager,
      });
      expect(steal.statusCode).toBe(409);
      expect(steal.json().message).toMatch(/being reviewed by operator/);
    } finally {
      await again.cleanup();
    }
  });
});
