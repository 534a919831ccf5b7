import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signedInServer } from '../testing/signed-in';
import { triageWorld, twoStageRednessModel } from '../triage/triage-world.test-util';
import type { AdaptationJob } from '../adapt/adaptation-job';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-adapt-srv-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const dataDir = path.join(dir, 'data'),
    modelDir = twoStageRednessModel(dir);
  const world = await triageWorld(dir, dataDir, 4, 3, modelDir);
  const s = await signedInServer({ workspacePath: world.workspacePath, dataDir, runJobs: false, modelDir });
  cleanups.unshift(s.cleanup);
  const post = (url: string, payload: unknown, who = s.as.manager) => s.app.inject({ method: 'POST', url, payload: payload as object, headers: who });
  const get = (url: string, who = s.as.manager) => s.app.inject({ url, headers: who });
  /** Polls GET /api/adaptation until the job is no longer running (as the manager page does). */
  const finished = async (): Promise<AdaptationJob> => {
    for (;;) {
      const job = (await get('/api/adaptation')).json().job as AdaptationJob;
      if (job.state !== 'running') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { ...s, post, get, finished, dataDir, world };
}

describe('local adaptation from the manager page', () => {
  it('is for managers only; adapts from the desk labels as a job with progress, adopts (forced when not recommended) and restores, all audited', async () => {
    const { post, get, as, finished, dataDir, app } = await setup();
    expect((await get('/api/adaptation')).json()).toEqual({ inForce: null, versions: [], job: null });
    for (const who of [as.operator, as.planner, as.field]) {
      expect((await post('/api/adaptation', {}, who)).statusCode).toBe(403);
      expect((await post('/api/adaptation/adopt', { version: 'x' }, who)).statusCode).toBe(403);
      expect((await post('/api/adaptation/restore', {}, who)).statusCode).toBe(403);
      expect((await get('/api/adaptation', who)).statusCode).toBe(403);
    }
    // No labels yet: refused before any job starts.
    const none = await post('/api/adaptation', {});
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toMatch(/no labels yet/);

    // The operator dismisses half the candidates at the desk: the labels.
    const items = (await get('/api/triage', as.operator)).json().items as { targetId: string }[];
    for (const i of items.slice(0, 6))
      expect((await post(`/api/triage/${encodeURIComponent(i.targetId)}/decision`, { decision: 'not_poppy', reason: 'roof' }, as.operator)).statusCode).toBe(
        200,
      );

    const started = await post('/api/adaptation', {});
    expect(started.statusCode).toBe(202);
    expect(started.json().job).toMatchObject({ kind: 'adapt', state: 'running', actor: 'manager' });
    expect((await post('/api/adaptation', {})).statusCode).toBe(409); // one at a time
    const done = await finished();
    expect(done.state).toBe('done');
    expect(done.progress.join('\n')).toMatch(/reading label windows 1\/1: block-t\.tif[\s\S]*embedding \d+ windows[\s\S]*fitting/);
    expect(done.result).toMatchObject({ dir: 'redness-adapted-1', version: '0.0.1-adapted.1', labels: { desk: { positive: 0, negative: 6 } }, adopt: false });
    expect(fs.existsSync(path.join(dataDir, 'models/redness-adapted-1/verifier/model.onnx'))).toBe(true);
    const state = (await get('/api/adaptation')).json();
    expect(state.versions.map((v: { dir: string; adopt: boolean }) => [v.dir, v.adopt])).toEqual([['redness-adapted-1', false]]);

    // Not recommended (one image: nothing held out): adopting needs force, then re-scores every verified candidate.
    const refused = await post('/api/adaptation/adopt', { version: 'redness-adapted-1' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/not recommended: no held-out labels/);
    expect((await post('/api/adaptation/adopt', { version: '../etc' })).statusCode).toBe(404);
    expect((await post('/api/adaptation/adopt', { version: 'redness-adapted-1', force: true })).statusCode).toBe(202);
    const adopted = await finished();
    expect(adopted).toMatchObject({ kind: 'adopt', state: 'done', result: { version: '0.0.1-adapted.1', rescored: 12 } });
    expect((await get('/api/adaptation')).json().inForce).toMatchObject({ name: 'redness-adapted-1', version: '0.0.1-adapted.1' });

    const restored = await post('/api/adaptation/restore', {});
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ now: null, candidates: 12 });
    expect((await get('/api/adaptation')).json().inForce).toBeNull();
    expect((await post('/api/adaptation/restore', {})).statusCode).toBe(404);

    const audit = (await app.inject({ url: '/api/manager/audit?limit=5000', headers: as.manager })).json();
    const entries = (audit.entries ?? audit) as { action: string; actor: string }[];
    expect(entries.filter((e) => e.action.startsWith('model.')).map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['model.adapt', 'manager'],
        ['model.adopt', 'manager'],
        ['model.restore', 'manager'],
      ]),
    );
  });
});
