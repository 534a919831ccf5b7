import { parentPort, workerData } from 'node:worker_threads';
import { buildNetwork, planInputs, planRoutes } from '@tiandi/planner';
import type { PlanJobInput } from './compute-plan';

// Plans off the server's event loop: uploads, tiles and progress streams keep flowing meanwhile.
const input = workerData as PlanJobInput;
try {
  const network = input.ways ? buildNetwork({ ways: input.ways }) : undefined;
  // The same targets and teams the CLI and the web planner build from the workspace.
  const { targets, teams } = planInputs(input.targets, { teams: input.teams, depot: input.depot, shiftS: input.shiftS, service: input.service });
  const plan = planRoutes(
    { targets, teams, network, date: input.date },
    { seed: input.seed, timeLimitMs: input.timeLimitMs, onProgress: (stage, fraction) => parentPort!.postMessage({ type: 'progress', stage, fraction }) },
  );
  parentPort!.postMessage({ type: 'done', plan });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: (err as Error).message ?? String(err), code: (err as { code?: string }).code });
}
