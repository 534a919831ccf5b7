import { afterEach, describe, expect, it } from 'vitest';
import type { ScanRunner } from '../jobs/job-queue';
import { jobQueueOf } from '../jobs/services';
import { signedInServer } from '../testing/signed-in';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A runner standing in for the tiles scan: eight tiles, each reported, then a result. */
const eightTiles: ScanRunner = async (job, { onProgress }) => {
  for (let i = 1; i <= 8; i++) {
    await new Promise((r) => setTimeout(r, 30));
    onProgress({ tilesDone: i, tilesTotal: 8, pixelsDone: i * 65_536 });
  }
  if (job.imageName === 'bad.tif') throw new Error('坏文件 bad file');
  return { scanDir: '/nowhere', candidates: 2, imageId: 'img-1', scanId: null, imported: true };
};

describe('job routes', () => {
  it('streams a snapshot then every job change over server-sent events, up to done at 100 %', async () => {
    const s = await signedInServer({ scanRunner: eightTiles });
    cleanups.push(s.cleanup);
    const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    const res = await fetch(`${url}/api/jobs/events`, { headers: s.as.operator });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const events: { event: string; data: { status?: string; progress?: { fraction: number; tilesDone: number }; jobs?: unknown[] } }[] = [];
    let buffer = '';
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buffer += new TextDecoder().decode(value);
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    };
    await readUntil(() => events.length >= 1);
    expect(events[0]).toEqual({ event: 'snapshot', data: { jobs: [] } });
    jobQueueOf(s.app.tiandi).enqueue({ imagePath: '/x/a.tif', imageName: 'a.tif', sha256: 'a'.repeat(64), sizeBytes: 1 });
    await readUntil(() => events.some((e) => e.data.status === 'done'));
    await reader.cancel();
    const jobEvents = events.filter((e) => e.event === 'job');
    expect(jobEvents[0].data.status).toBe('queued');
    const fractions = jobEvents.map((e) => e.data.progress!.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(jobEvents.at(-1)!.data).toMatchObject({ status: 'done', progress: { fraction: 1, tilesDone: 8 } });
    expect(JSON.stringify(events)).not.toContain('/x/a.tif');
  });

  it('a server restart redoes the job that was running and runs the queued one, each once', async () => {
    let started = 0;
    // First server: its scans hang until aborted, as when the process is stopped mid-scan.
    const hanging: ScanRunner = (_job, { signal }) => {
      started++;
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    };
    const a = await signedInServer({ scanRunner: hanging });
    await a.app.ready();
    const qa = jobQueueOf(a.app.tiandi);
    const first = qa.enqueue({ imagePath: '/x/1.tif', imageName: '1.tif', sha256: '1'.repeat(64), sizeBytes: 1 }).job;
    const second = qa.enqueue({ imagePath: '/x/2.tif', imageName: '2.tif', sha256: '2'.repeat(64), sizeBytes: 1 }).job;
    await expect.poll(() => qa.get(first.id)!.status).toBe('running');
    const dataDir = a.app.tiandi.options.dataDir;
    const workspacePath = a.app.tiandi.options.workspacePath;
    await a.app.close(); // keeps the temp folder: the second server starts on the same data
    expect(started).toBe(1);

    const ran: string[] = [];
    const b = await signedInServer({ dataDir, workspacePath, scanRunner: async (job, o) => (ran.push(job.imageName), eightTiles(job, o)) });
    cleanups.push(async () => {
      await b.cleanup();
      await a.cleanup().catch(() => undefined);
    });
    await b.app.ready();
    const qb = jobQueueOf(b.app.tiandi);
    await qb.whenIdle();
    expect(ran).toEqual(['1.tif', '2.tif']);
    expect(qb.list().map((j) => [j.id, j.status, j.attempts])).toEqual([
      [first.id, 'done', 2],
      [second.id, 'done', 1],
    ]);
  });

  it('lists, gets, cancels and retries jobs, with 404/409 and role checks', async () => {
    const s = await signedInServer({ scanRunner: eightTiles, runJobs: false });
    cleanups.push(s.cleanup);
    const q = jobQueueOf(s.app.tiandi);
    const { job } = q.enqueue({ imagePath: '/x/bad.tif', imageName: 'bad.tif', sha256: 'b'.repeat(64), sizeBytes: 1 });
    const list = (await s.app.inject({ url: '/api/jobs', headers: s.as.planner })).json();
    expect(list.jobs.map((j: { imageName: string; status: string }) => [j.imageName, j.status])).toEqual([['bad.tif', 'queued']]);
    expect((await s.app.inject({ url: '/api/jobs', headers: s.as.field })).statusCode).toBe(403);
    expect((await s.app.inject({ url: '/api/jobs/nope', headers: s.as.operator })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/retry`, headers: s.as.operator, payload: {} })).statusCode).toBe(409);
    expect((await s.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/cancel`, headers: s.as.planner, payload: {} })).statusCode).toBe(403);
    const cancelled = await s.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/cancel`, headers: s.as.operator, payload: {} });
    expect(cancelled.json().status).toBe('cancelled');
    expect((await s.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/cancel`, headers: s.as.operator, payload: {} })).statusCode).toBe(409);
    q.start();
    const retried = (await s.app.inject({ method: 'POST', url: `/api/jobs/${job.id}/retry`, headers: s.as.operator, payload: {} })).json();
    expect(['queued', 'running']).toContain(retried.status);
    await q.whenIdle();
    expect((await s.app.inject({ url: `/api/jobs/${job.id}`, headers: s.as.operator })).json()).toMatchObject({
      status: 'failed',
      error: '坏文件 bad file',
      attempts: 1,
    });
  });
});
