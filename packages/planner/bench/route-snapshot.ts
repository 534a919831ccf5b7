/**
 * `npx tsx packages/planner/bench/route-snapshot.ts > before.json` (then again after a change, and `cmp`)
 *
 * Fixed-seed, fixed-iteration outputs of solveVrp (random instances with windows, balance, makespan,
 * insert-only and initial routes; CVRPLIB and Solomon instances from ../shared/bench) and of planRoutes
 * (the demo township's roads, two objectives, and a geodesic single route), as JSON. A refactor of the
 * optimiser that keeps its search step for step gives byte-identical output; timings are zeroed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/random';
import { smallVrp as randomProblem } from '../src/vrp/small-vrp.test-util';
import { solveVrp } from '../src/vrp/solve-vrp';
import { planRoutes } from '../src/plan/plan-routes';
import { buildNetwork } from '../src/network/build-network';
import type { VrpProblem, VrpOptions } from '../src/vrp/vrp-problem';
import { distanceMatrix, parseTsplib } from './read-tsplib';
import { solomonProblem } from './solomon';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const benchDir = resolve(repoRoot, '../shared/bench');

function cvrp(name: string): VrpProblem {
  const inst = parseTsplib(name, readFileSync(`${benchDir}/cvrplib/${name}.vrp`, 'utf8'));
  const real = name.startsWith('CMT');
  const cost = distanceMatrix(inst, !real);
  const depot = inst.depot ?? 0;
  const jobs = [];
  for (let i = 0; i < inst.n; i++)
    if (i !== depot)
      jobs.push({ node: i, serviceS: inst.serviceTime ?? 0, demand: inst.demand?.[i] ?? 0, earliestS: 0, latestS: Infinity, penalty: 1e9, weight: 0 });
  const k = Number(/-k(\d+)/.exec(name)?.[1] ?? 0);
  const fleet = name.startsWith('X') || real || !k ? jobs.length : k;
  const v = {
    startNode: depot,
    endNode: depot,
    shiftStartS: 0,
    shiftEndS: inst.maxDistance ?? Infinity,
    capacity: inst.capacity ?? Infinity,
    maxStops: Infinity,
  };
  return { n: inst.n, cost, jobs, vehicles: Array.from({ length: fleet }, () => v) };
}
const out: Record<string, unknown> = {};
const run = (name: string, p: VrpProblem, o: VrpOptions): void => {
  const s = solveVrp(p, { timeLimitMs: 1e9, ...o });
  out[name] = { cost: s.cost, travel: s.travel, iterations: s.iterations, unassigned: s.unassigned, routes: s.routes };
  console.error(name, s.cost);
};
run('rand30', randomProblem(30, 1), { maxIterations: 2000, seed: 1 });
{
  const p = randomProblem(60, 2);
  p.jobs.forEach((j, i) => {
    if (i % 3 === 0) {
      j.earliestS = 3 * 3600;
      j.latestS = 5 * 3600;
    }
    j.penalty = 1e6 * (1 + (i % 5));
    j.weight = 1 + (i % 4);
  });
  run('rand60tw', p, { maxIterations: 3000, seed: 3 });
  run('rand60tw-ls', p, { maxIterations: 1500, seed: 4, intraRouteSearch: true });
  const q = {
    ...p,
    balanceWeight: 0.01,
    makespanWeight: 2,
    vehicles: p.vehicles.map((v, k) => ({ ...v, jobCost: k * 120, makespanOffsetS: k * 86400, maxStops: 20 })),
  };
  run('rand60-bal-span', q, { maxIterations: 3000, seed: 5 });
  const first = solveVrp(q, { maxIterations: 300, seed: 2, timeLimitMs: 1e9 });
  const initial = first.routes.map((r) => r.filter((j) => j % 7 !== 0));
  run('rand60-insertonly', q, { initialRoutes: initial, insertOnly: true, seed: 6 });
  run('rand60-initial', q, { initialRoutes: initial, maxIterations: 1000, seed: 7 });
}
if (existsSync(benchDir)) for (const name of ['A-n32-k5', 'E-n101-k8', 'X-n101-k25', 'CMT6']) run(name, cvrp(name), { maxIterations: 4000, seed: 1 });
if (existsSync(benchDir))
  for (const name of ['C101', 'R101', 'RC201'])
    run(name, solomonProblem(readFileSync(`${benchDir}/cvrplib/solomon/${name}.txt`, 'utf8')), { maxIterations: 4000, seed: 1 });
{
  const net = buildNetwork(JSON.parse(readFileSync(`${repoRoot}/seeds/roads.geojson`, 'utf8')));
  const depot = JSON.parse(readFileSync(`${repoRoot}/seeds/depot.geojson`, 'utf8')).features[0].geometry.coordinates;
  const rng = createRng(11);
  const [w, s, e, n] = [102.262, 27.862, 102.348, 27.938];
  const targets = Array.from({ length: 120 }, (_, i) => ({
    id: `T${i + 1}`,
    lonLat: [w + rng.next() * (e - w), s + rng.next() * (n - s)] as [number, number],
    priority: 0.3 + Math.round(rng.next() * 100) / 100,
    serviceS: 300 + rng.int(900),
  }));
  for (const objective of ['makespan', 'total'] as const) {
    const plan = planRoutes(
      {
        targets,
        network: net,
        days: 2,
        teams: [1, 2, 3].map((k) => ({ id: `team${k}`, start: depot, shiftS: 6 * 3600 })),
        break: { earliestS: 12 * 3600, durationS: 3600 },
      },
      { seed: 1, maxIterations: 1500, timeLimitMs: 1e9, objective },
    );
    out[`plan-${objective}`] = { ...plan, stats: { ...plan.stats, matrixMs: 0, solveMs: 0 } };
    console.error('plan', objective, plan.objective.totalDurationS);
  }
  const geo = planRoutes(
    { targets: targets.slice(0, 40), days: 1, teams: [{ id: 'A', start: depot, shiftS: 8 * 3600 }] },
    { seed: 2, maxIterations: 800, timeLimitMs: 1e9 },
  );
  out['plan-single-geodesic'] = { ...geo, stats: { ...geo.stats, matrixMs: 0, solveMs: 0 } };
}
process.stdout.write(JSON.stringify(out, null, 1));
