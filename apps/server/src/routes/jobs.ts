import type { JobView } from '@tiandi/api';
import { z } from 'zod';
import type { RouteModule } from '../context';
import { ServerError } from '../errors';
import { defaultScanRunner } from '../jobs/default-scan-runner';
import type { Job } from '../jobs/job';
import { JobQueue } from '../jobs/job-queue';
import { jobQueueOf } from '../jobs/services';
import { parseInput } from '../validate';
import { migrateJobsFile } from '../workspace/migrate-data-files';
import { workspaceOf } from '../workspace/workspace-service';

const IdParams = z.strictObject({ id: z.string().min(1).max(100) });

/** The view of a job sent to clients (no server file paths). */
export function publicJob(j: Job): JobView {
  return {
    id: j.id,
    status: j.status,
    imageName: j.imageName,
    sha256: j.sha256,
    sizeBytes: j.sizeBytes,
    createdAt: j.createdAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
    attempts: j.attempts,
    progress: j.progress,
    error: j.error,
    result: j.result
      ? { candidates: j.result.candidates, imageId: j.result.imageId, scanId: j.result.scanId, imported: j.result.imported, summary: j.result.summary ?? null }
      : null,
  };
}

/**
 * Scan jobs: GET /api/jobs, GET /api/jobs/:id, POST /api/jobs/:id/cancel, POST /api/jobs/:id/retry,
 * and GET /api/jobs/events (server-sent events: one `job` event per change, a snapshot first).
 */
const jobs: RouteModule = {
  name: 'jobs',
  register(app, ctx) {
    // An older server's jobs.json moves into the workspace once.
    for (const m of migrateJobsFile(ctx.options.dataDir, workspaceOf(ctx))) app.log.warn(m);
    const queue = new JobQueue({
      workspace: workspaceOf(ctx),
      runner: ctx.options.scanRunner ?? defaultScanRunner(ctx),
    });
    ctx.services.set('jobs', queue);
    if (ctx.options.runJobs !== false) app.addHook('onReady', async () => queue.start());

    const roles = { roles: ['operator', 'planner', 'manager', 'admin'] as const };
    app.get('/api/jobs', { config: { roles: [...roles.roles] } }, async () => ({ jobs: jobQueueOf(ctx).list().map(publicJob) }));

    const streams = new Set<import('node:http').ServerResponse>();
    app.addHook('preClose', async () => {
      for (const res of streams) res.end();
    });

    app.get('/api/jobs/events', { config: { roles: [...roles.roles] } }, (_req, reply) => {
      const q = jobQueueOf(ctx);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      send('snapshot', { jobs: q.list().map(publicJob) });
      const onJob = (j: Job) => send('job', publicJob(j));
      q.on('job', onJob);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      streams.add(res);
      const stop = () => {
        clearInterval(ping);
        q.off('job', onJob);
        streams.delete(res);
      };
      res.on('close', stop);
    });

    app.get('/api/jobs/:id', { config: { roles: [...roles.roles] } }, async (req) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      const job = jobQueueOf(ctx).get(id);
      if (!job) throw new ServerError('TIANDI_E_NOT_FOUND', `没有此任务 no job '${id}'`, { field: 'id' });
      return publicJob(job);
    });

    app.post('/api/jobs/:id/cancel', { config: { roles: ['operator', 'admin'] } }, async (req) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      const q = jobQueueOf(ctx);
      if (!q.get(id)) throw new ServerError('TIANDI_E_NOT_FOUND', `没有此任务 no job '${id}'`, { field: 'id' });
      if (!q.cancel(id)) throw new ServerError('TIANDI_E_CONFLICT', '任务已结束 the job has already finished');
      return publicJob(q.get(id)!);
    });

    app.post('/api/jobs/:id/retry', { config: { roles: ['operator', 'admin'] } }, async (req) => {
      const { id } = parseInput(IdParams, req.params, 'params');
      const q = jobQueueOf(ctx);
      if (!q.get(id)) throw new ServerError('TIANDI_E_NOT_FOUND', `没有此任务 no job '${id}'`, { field: 'id' });
      if (!q.retry(id)) throw new ServerError('TIANDI_E_CONFLICT', '只有失败或已取消的任务可以重试 only failed or cancelled jobs can be retried');
      return publicJob(q.get(id)!);
    });
  },
  async close(ctx) {
    const q = ctx.services.get('jobs') as JobQueue | undefined;
    await q?.close();
  },
};
export default jobs;
