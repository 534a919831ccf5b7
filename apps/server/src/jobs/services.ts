import type { ServerContext } from '../context';
import { ServerError } from '../errors';
import type { JobQueue } from './job-queue';

/** The server's scan queue (registered by the jobs route module). */
export function jobQueueOf(ctx: ServerContext): JobQueue {
  const q = ctx.services.get('jobs') as JobQueue | undefined;
  if (!q) throw new ServerError('TIANDI_E_UNAVAILABLE', '扫描队列未启用 the scan queue is not enabled in this server');
  return q;
}
