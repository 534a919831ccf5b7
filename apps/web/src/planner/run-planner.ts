import type { Plan } from '@tiandi/planner';
import type { PlanReply, PlanRequest } from './plan-worker';

/**
 * Plans routes in a Web Worker (packages/planner runs in the browser), reporting progress.
 * Rejects with the planner's message; aborting terminates the worker.
 */
export function runPlanner(req: PlanRequest, onProgress: (stage: string, fraction: number) => void, signal?: AbortSignal): Promise<Plan> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./plan-worker.ts', import.meta.url), { type: 'module' });
    const finish = () => worker.terminate();
    signal?.addEventListener(
      'abort',
      () => {
        finish();
        reject(new DOMException('aborted', 'AbortError'));
      },
      { once: true },
    );
    worker.onmessage = (e: MessageEvent<PlanReply>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress(m.stage, m.fraction);
      else if (m.type === 'done') {
        finish();
        resolve(m.plan);
      } else {
        finish();
        reject(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      finish();
      reject(new Error(e.message || 'planner worker failed'));
    };
    worker.postMessage(req);
  });
}
