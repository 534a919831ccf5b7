/// <reference lib="webworker" />
import { buildNetwork, planRoutes, type Plan, type PlanProblem } from '@tiandi/planner';

/** Message to the worker: the problem (network as road GeoJSON) and options. */
export interface PlanRequest {
  problem: Omit<PlanProblem, 'network'>;
  roads: unknown | null;
  timeLimitMs: number;
  seed: number;
}

/** Messages from the worker. */
export type PlanReply =
  | { type: 'progress'; stage: 'network' | 'matrix' | 'optimise' | 'geometry'; fraction: number }
  | { type: 'done'; plan: Plan }
  | { type: 'error'; message: string };

// Route planning runs here, off the page's thread, so the map stays responsive.
self.onmessage = (e: MessageEvent<PlanRequest>) => {
  const post = (m: PlanReply) => (self as unknown as Worker).postMessage(m);
  try {
    const { problem, roads, timeLimitMs, seed } = e.data;
    post({ type: 'progress', stage: 'network', fraction: 0 });
    const network = roads ? buildNetwork(roads as Parameters<typeof buildNetwork>[0]) : undefined;
    const plan = planRoutes({ ...problem, network }, { seed, timeLimitMs, onProgress: (stage, fraction) => post({ type: 'progress', stage, fraction }) });
    post({ type: 'done', plan });
  } catch (err) {
    post({ type: 'error', message: (err as Error).message ?? String(err) });
  }
};
