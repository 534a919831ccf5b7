import { parentPort, workerData } from 'node:worker_threads';
import { buildNetwork, planRoutes, planTeams, targetsFromGeoJson } from '@tiandi/planner';
import type { PlanJobInput } from './compute-plan';

// Plans off the server's event loop: uploads, tiles and progress streams keep flowing meanwhile.
const input = workerData as PlanJobInput;
try {
  const network = input.ways ? buildNetwork({ ways: input.ways }) : undefined;
  const targets = targetsFromGeoJson(input.targets, { baseServiceS: input.serviceS, serviceSPerM2: 0 });
  const teams = planTeams(input.teams, { start: input.depot, shiftS: input.shiftS });
  const plan = planRoutes(
    { targets, teams, network, date: input.date },
    { seed: input.seed, timeLimitMs: input.timeLimitMs, onProgress: (stage, fraction) => parentPort!.postMessage({ type: 'progress', stage, fraction }) },
  );
  parentPort!.postMessage({ type: 'done', plan });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: (err as Error).message ?? String(err), code: (err as { code?: string }).code });
}
