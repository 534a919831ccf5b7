import { Worker } from 'node:worker_threads';
import { SHARED_ERROR_CODES, statusOf, TiandiError } from '@tiandi/geo';
import { PLANNER_ERROR_CODES, type Plan, type ServiceRule } from '@tiandi/planner';
import type { RoadWay } from '@tiandi/store';

/** What the server-side planner needs (all plain data, sent to a worker thread). */
export interface PlanJobInput {
  /** Targets as GeoJSON (the workspace's target features). */
  targets: { type: 'FeatureCollection'; features: unknown[] };
  /** The workspace's road network (null: straight-line distances). */
  ways: RoadWay[] | null;
  depot: [number, number];
  teams: number;
  shiftS: number;
  /** Time at each target: base + per m² of plot (the planner's one service-time rule). */
  service: ServiceRule;
  timeLimitMs: number;
  seed: number;
  date: string;
}

/** A planner failure with the planner's code (bad input → 4xx); a failure without one is `TIANDI_E_INTERNAL`. */
export class PlanFailed extends TiandiError {
  override readonly name = 'PlanFailed';
  constructor(message: string, code: string | undefined) {
    const known = code ?? 'TIANDI_E_INTERNAL';
    super(known, message, statusOf(known, PLANNER_ERROR_CODES, SHARED_ERROR_CODES));
  }
}

/**
 * Runs `planRoutes` (packages/planner) in a worker thread and resolves with the plan; the same
 * planner the browser runs, for clients that cannot (or scripts). Aborting terminates the worker.
 */
export function computePlan(input: PlanJobInput, opts: { onProgress?: (stage: string, fraction: number) => void; signal?: AbortSignal } = {}): Promise<Plan> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./plan-worker.mjs', import.meta.url), { workerData: input });
    const stop = () => void worker.terminate();
    opts.signal?.addEventListener('abort', () => (stop(), reject(new Error('aborted'))), { once: true });
    worker.on('message', (m: { type: string; stage?: string; fraction?: number; plan?: Plan; message?: string; code?: string }) => {
      if (m.type === 'progress') opts.onProgress?.(m.stage!, m.fraction!);
      else if (m.type === 'done') stop(), resolve(m.plan!);
      else stop(), reject(new PlanFailed(m.message ?? 'planning failed', m.code));
    });
    worker.on('error', (err) => (stop(), reject(err)));
  });
}
