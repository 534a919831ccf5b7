/**
 * `npm run bench:route [-- --only tsp|cvrp|solomon|osm|field] [--filter <substring>] [--tsp-ms 1700] [--cvrp-ms 8500] [--seed 1]`
 *
 * Solves the public TSPLIB, CVRPLIB and Solomon VRPTW instances in ../shared/bench (relative to the
 * repo root; never copied into the repo) and prints, per instance, the gap to the optimum / best known
 * solution and the time, then the mean. Optima and distance rules: ../shared/bench/KNOWN.md. On the real
 * OpenStreetMap networks in ../shared/bench/osm it compares the planned travel times with an independent
 * shortest-path reference (bench/osm-check.ts) for the same visiting order. Sections whose files are
 * absent are skipped with one line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planToCsv } from '../src/export/plan-to-csv';
import { planToGeoJson } from '../src/export/plan-to-geojson';
import { planToGpx } from '../src/export/plan-to-gpx';
import { planToKml } from '../src/export/plan-to-kml';
import { planRoutes } from '../src/plan/plan-routes';
import type { PlanTarget } from '../src/plan/plan-types';
import { buildNetwork } from '../src/network/build-network';
import { gridRoads } from '../src/network/grid-roads';
import { locate } from '../src/network/locate';
import { networkTimeMatrix } from '../src/network/time-matrix';
import { createRng } from '../src/random';
import { solveTsp } from '../src/tsp/solve-tsp';
import { routeSchedule } from '../src/vrp/route-schedule';
import { solveVrp } from '../src/vrp/solve-vrp';
import type { VrpJob, VrpProblem, VrpVehicle } from '../src/vrp/vrp-problem';
import { distanceMatrix, parseTsplib } from './read-tsplib';
import { benchOsm as benchOsmNetworks } from './osm-bench';
import { solomonBks, solomonProblem } from './solomon';
import { readdirSync } from 'node:fs';

const TSP_OPT: Record<string, number> = {
  ulysses22: 7013,
  att48: 10628,
  eil51: 426,
  berlin52: 7542,
  st70: 675,
  eil76: 538,
  pr76: 108159,
  gr96: 55209,
  kroA100: 21282,
  rd100: 7910,
  eil101: 629,
  ch130: 6110,
  ch150: 6528,
  kroA200: 29368,
  gr202: 40160,
  a280: 2579,
  pr439: 107217,
  pcb442: 50778,
  att532: 27686,
  gr666: 294358,
  rat783: 8806,
  pr1002: 259045,
  pcb1173: 56892,
  d1291: 50801,
  fl1577: 22249,
  pr2392: 378032,
};
const CVRP_BKS: Record<string, number> = {
  'B-n31-k5': 672,
  'A-n32-k5': 784,
  'E-n51-k5': 521,
  CMT1: 524.61,
  CMT6: 555.43,
  'P-n76-k5': 627,
  'B-n78-k10': 1221,
  'A-n80-k10': 1763,
  'E-n101-k8': 815,
  'P-n101-k4': 681,
  CMT12: 819.56,
  CMT5: 1291.29,
  'X-n101-k25': 27591,
  'X-n157-k13': 16876,
  'X-n200-k36': 58578,
  'X-n256-k16': 18839,
  'X-n303-k21': 21736,
  'X-n401-k29': 66154,
  'X-n502-k39': 69226,
  'X-n627-k43': 62164,
  'X-n701-k44': 81919,
  'X-n801-k40': 73305,
  'X-n1001-k43': 72355,
};

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = flag('--only');
const filter = flag('--filter');
/** Per-instance budget, reading and the distance matrix included. */
const tspMs = Number(flag('--tsp-ms') ?? 1700);
const cvrpMs = Number(flag('--cvrp-ms') ?? 8500);
const seed = Number(flag('--seed') ?? 1);

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const benchDir = resolve(repoRoot, '../shared/bench');
/** Whether a section's files are there; prints one line when they are not. */
const have = (sub: string, section: string): boolean => {
  if (existsSync(join(benchDir, sub))) return true;
  console.log(`${section}: skipped, ${join(benchDir, sub)} not found (public instances live outside the repo, see ../shared/bench/KNOWN.md)`);
  return false;
};

const pct = (x: number): string => `${x >= 0 ? ' ' : ''}${x.toFixed(2)} %`;

function benchTsp(): void {
  console.log(`TSP (TSPLIB), ${tspMs} ms per instance including reading and the matrix, seed ${seed}`);
  console.log('instance      n       cost    optimum      gap     time');
  const small: number[] = [];
  const all: number[] = [];
  let worstMs = 0;
  for (const [name, opt] of Object.entries(TSP_OPT)) {
    if (filter && !name.includes(filter)) continue;
    const file = join(benchDir, 'tsplib', `${name}.tsp`);
    if (!existsSync(file)) continue;
    const t = performance.now();
    const inst = parseTsplib(name, readFileSync(file, 'utf8'));
    const m = distanceMatrix(inst);
    const r = solveTsp(m, inst.n, { timeLimitMs: Math.max(100, tspMs - (performance.now() - t)), seed });
    const ms = performance.now() - t;
    const gap = (r.cost / opt - 1) * 100;
    all.push(gap);
    if (inst.n <= 1000) {
      small.push(gap);
      worstMs = Math.max(worstMs, ms);
    }
    console.log(
      `${name.padEnd(10)} ${String(inst.n).padStart(4)} ${String(r.cost).padStart(10)} ${String(opt).padStart(10)} ${pct(gap).padStart(8)} ${ms.toFixed(0).padStart(6)} ms`,
    );
  }
  const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
  console.log(`TSP mean gap, n ≤ 1000: ${pct(mean(small))} over ${small.length} instances (floor ≤ 1.0 %), slowest ${worstMs.toFixed(0)} ms (floor ≤ 2000 ms)`);
  console.log(`TSP mean gap, all:      ${pct(mean(all))} over ${all.length} instances`);
}

/** Builds the VRP from a VRPLIB instance: X and CMT have an unlimited fleet; A/B/E/P use k vehicles. */
export function cvrpProblem(name: string, text: string): VrpProblem {
  const inst = parseTsplib(name, text);
  const real = name.startsWith('CMT');
  const cost = distanceMatrix(inst, !real);
  const depot = inst.depot ?? 0;
  const jobs: VrpJob[] = [];
  for (let i = 0; i < inst.n; i++) {
    if (i === depot) continue;
    jobs.push({ node: i, serviceS: inst.serviceTime ?? 0, demand: inst.demand?.[i] ?? 0, earliestS: 0, latestS: Infinity, penalty: 1e9, weight: 0 });
  }
  const k = Number(/-k(\d+)/.exec(name)?.[1] ?? 0);
  const fleet = name.startsWith('X') || real || !k ? jobs.length : k;
  const v: VrpVehicle = {
    startNode: depot,
    endNode: depot,
    shiftStartS: 0,
    shiftEndS: inst.maxDistance ?? Infinity,
    capacity: inst.capacity ?? Infinity,
    maxStops: Infinity,
  };
  return { n: inst.n, cost, jobs, vehicles: Array.from({ length: fleet }, () => v) };
}

function benchCvrp(): void {
  console.log(`\nCVRP (CVRPLIB), time limit ${cvrpMs} ms per instance, seed ${seed}`);
  console.log('instance        n        cost         BKS      gap     time  routes  feasible');
  const gaps: number[] = [];
  let worstMs = 0;
  for (const [name, bks] of Object.entries(CVRP_BKS)) {
    if (filter && !name.includes(filter)) continue;
    const file = join(benchDir, 'cvrplib', `${name}.vrp`);
    if (!existsSync(file)) continue;
    const t = performance.now();
    const p = cvrpProblem(name, readFileSync(file, 'utf8'));
    const sol = solveVrp(p, { timeLimitMs: cvrpMs, seed });
    const ms = performance.now() - t;
    let dist = 0;
    let ok = sol.unassigned.length === 0;
    sol.routes.forEach((route, v) => {
      const s = routeSchedule(p, v, route);
      ok &&= s.ok;
      dist += s.travel;
    });
    const gap = (dist / bks - 1) * 100;
    gaps.push(gap);
    worstMs = Math.max(worstMs, ms);
    console.log(
      `${name.padEnd(12)} ${String(p.jobs.length).padStart(4)} ${dist.toFixed(2).padStart(11)} ${String(bks).padStart(11)} ${pct(gap).padStart(8)} ${ms.toFixed(0).padStart(6)} ms ${String(sol.routes.filter((r) => r.length).length).padStart(5)}  ${ok ? 'yes' : 'NO'}`,
    );
  }
  const mean = gaps.reduce((s, x) => s + x, 0) / Math.max(1, gaps.length);
  console.log(`CVRP mean gap: ${pct(mean)} over ${gaps.length} instances (floor ≤ 3 %), slowest ${worstMs.toFixed(0)} ms (floor ≤ 10000 ms)`);
}

function benchSolomon(): void {
  console.log(`\nVRPTW (Solomon, CVRPLIB optima: distance objective, arcs truncated to 0.1), time limit ${cvrpMs} ms per instance, seed ${seed}`);
  console.log('instance      n        cost     optimum      gap     time  routes  feasible');
  const dir = join(benchDir, 'cvrplib/solomon');
  const gaps: number[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.txt'))
    .sort()) {
    const name = f.replace(/\.txt$/, '');
    if (filter && !name.includes(filter)) continue;
    const solFile = join(dir, `${name}.sol`);
    if (!existsSync(solFile)) continue;
    const bks = solomonBks(readFileSync(solFile, 'utf8'));
    const t = performance.now();
    const p = solomonProblem(readFileSync(join(dir, f), 'utf8'));
    const sol = solveVrp(p, { timeLimitMs: cvrpMs, seed });
    const ms = performance.now() - t;
    let dist = 0;
    let ok = sol.unassigned.length === 0;
    sol.routes.forEach((route, v) => {
      const sch = routeSchedule(p, v, route);
      ok &&= sch.ok;
      dist += sch.travel;
    });
    const gap = (dist / bks - 1) * 100;
    gaps.push(gap);
    console.log(
      `${name.padEnd(10)} ${String(p.jobs.length).padStart(4)} ${dist.toFixed(1).padStart(11)} ${bks.toFixed(1).padStart(11)} ${pct(gap).padStart(8)} ${ms.toFixed(0).padStart(6)} ms ${String(sol.routes.filter((r) => r.length).length).padStart(5)}  ${ok ? 'yes' : 'NO'}`,
    );
  }
  const mean = gaps.reduce((a, x) => a + x, 0) / Math.max(1, gaps.length);
  console.log(`Solomon mean gap: ${pct(mean)} over ${gaps.length} instances (floor ≤ 3 %)`);
}

function benchOsm(): void {
  benchOsmNetworks(join(benchDir, 'osm'), seed, filter);
}

/** The field floors: a 1,000-place time matrix on a large grid, and a 500-target, 5-team plan on the demo township. */
function benchField(): void {
  console.log('\nField planning');
  const rng = createRng(seed);
  benchGridMatrix(rng);
  const roadsFile = join(repoRoot, 'seeds/roads.geojson');
  const depotFile = join(repoRoot, 'seeds/depot.geojson');
  if (!existsSync(roadsFile) || !existsSync(depotFile)) return void console.log('demo township roads not found (seeds/roads.geojson): skipped');
  // The 500-target plan's "end to end" time counts from here: reading the roads and the township matrix included.
  const t = performance.now();
  const net = buildNetwork(JSON.parse(readFileSync(roadsFile, 'utf8')));
  const depot = JSON.parse(readFileSync(depotFile, 'utf8')).features[0].geometry.coordinates as [number, number];
  // The draw order of `rng` fixes every instance below: keep these calls in this order.
  benchTownshipMatrix(net, rng);
  benchTownshipPlan(net, depot, rng, t);
  benchCountyPlan(net, depot, rng);
  benchMorningPlan(net, depot, rng);
}

type Rng = ReturnType<typeof createRng>;
type Network = ReturnType<typeof buildNetwork>;
/** A random point in the demo township's box (west, south, east, north). */
const townshipPoint = (rng: Rng): [number, number] => {
  const [w, s, e, n] = [102.262, 27.862, 102.348, 27.938];
  return [w + rng.next() * (e - w), s + rng.next() * (n - s)];
};
const shiftTeams = (count: number, depot: [number, number]) =>
  Array.from({ length: count }, (_, k) => ({ id: `team${k + 1}`, start: depot, shiftS: 8 * 3600 }));
const LUNCH = { earliestS: 12 * 3600, durationS: 3600 };

/** The worst case for the matrix: a 120 × 120 grid with nothing to contract, 1,000 random places. */
function benchGridMatrix(rng: Rng): void {
  let t = performance.now();
  const grid = buildNetwork(gridRoads({ nx: 120, ny: 120, spacingM: 200, onewayEvery: 4 }));
  const buildMs = performance.now() - t;
  const c0 = process.cpuUsage();
  const places = Array.from(
    { length: 1000 },
    () => locate(grid, [102.26 + rng.next() * 0.24, 27.86 + rng.next() * 0.21], [[102.26 + rng.next() * 0.24, 27.86 + rng.next() * 0.21]], 2000)!,
  );
  t = performance.now();
  networkTimeMatrix(grid, places);
  const mMs = performance.now() - t;
  const cpu = process.cpuUsage(c0);
  console.log(
    `time matrix 1000 × 1000 on a ${grid.nodeCount}-junction, ${grid.edges.length}-road grid (worst case: nothing to contract; built in ${buildMs.toFixed(0)} ms): ${mMs.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (floor ≤ 5000 ms)`,
  );
}

function benchTownshipMatrix(net: Network, rng: Rng): void {
  const pts = Array.from({ length: 1000 }, () => townshipPoint(rng));
  const t1 = performance.now();
  const locs = pts.map((p) => locate(net, p, [p], 5000)!);
  networkTimeMatrix(net, locs);
  console.log(
    `time matrix 1000 × 1000 on the demo township (${net.nodeCount} junctions, ${net.edges.length} roads): ${(performance.now() - t1).toFixed(0)} ms incl. snapping (floor ≤ 5000 ms)`,
  );
}

/** 500 targets, 5 teams × 5 days, timed from `t` through writing the output files. */
function benchTownshipPlan(net: Network, depot: [number, number], rng: Rng, t: number): void {
  const targets: PlanTarget[] = Array.from({ length: 500 }, (_, i) => ({
    id: `T${i + 1}`,
    lonLat: townshipPoint(rng),
    priority: 0.3 + Math.round(rng.next() * 100) / 100,
    serviceS: 300 + rng.int(900),
  }));
  const plan = planRoutes({ targets, network: net, days: 5, teams: shiftTeams(5, depot), break: LUNCH }, { seed, timeLimitMs: 1500 });
  const planMs = performance.now() - t;
  const files = [JSON.stringify(plan), JSON.stringify(planToGeoJson(plan)), planToGpx(plan), planToKml(plan), planToCsv(plan)];
  const ms = performance.now() - t;
  const o = plan.objective;
  const reasons = [...new Set(plan.unassigned.map((u) => u.reason))].map((r) => `${r} ${plan.unassigned.filter((u) => u.reason === r).length}`).join(', ');
  console.log(
    `demo township, 500 targets, 5 teams × 5 days: ${ms.toFixed(0)} ms end to end with the ${files.length} output files (plan ${planMs.toFixed(0)} ms: matrix ${plan.stats.matrixMs} ms, optimise ${plan.stats.solveMs} ms, ${plan.stats.iterations} iterations) (floor ≤ 5000 ms)`,
  );
  console.log(
    `  served ${o.served}, unassigned ${o.unserved}${reasons ? ` (${reasons})` : ''}, every target accounted for: ${o.served + o.unserved === 500 ? 'yes' : 'NO'}; ${(o.totalDurationS / 3600).toFixed(1)} team-hours, ${(o.totalDistanceM / 1000).toFixed(0)} km`,
  );
}

/** 2 000 targets, 10 teams, 5 days: the largest plan a county office makes in one go. */
function benchCountyPlan(net: Network, depot: [number, number], rng: Rng): void {
  const big: PlanTarget[] = Array.from({ length: 2000 }, (_, i) => ({
    id: `B${i + 1}`,
    lonLat: townshipPoint(rng),
    priority: 0.3 + Math.round(rng.next() * 100) / 100,
    serviceS: 300 + rng.int(600),
  }));
  const t2 = performance.now();
  const p2 = planRoutes({ targets: big, network: net, days: 5, teams: shiftTeams(10, depot), break: LUNCH }, { seed, timeLimitMs: 5000 });
  const ms2 = performance.now() - t2;
  const o2 = p2.objective;
  console.log(
    `demo township, 2000 targets, 10 teams × 5 days: ${ms2.toFixed(0)} ms (matrix ${p2.stats.matrixMs} ms, optimise ${p2.stats.solveMs} ms, ${p2.stats.iterations} iterations) (floor ≤ 10000 ms); served ${o2.served}, makespan ${(o2.makespanS! / 3600).toFixed(2)} h, even split ${(o2.evenSplitS! / 3600).toFixed(2)} h`,
  );
}

/** The web demo's case: a morning's work for 3 teams. Finishing soonest gives every team work. */
function benchMorningPlan(net: Network, depot: [number, number], rng: Rng): void {
  const few: PlanTarget[] = Array.from({ length: 17 }, (_, i) => ({
    id: `D${i + 1}`,
    lonLat: [depot[0] + (rng.next() - 0.5) * 0.05, depot[1] + (rng.next() - 0.5) * 0.04],
    priority: 0.5 + rng.next() / 2,
    serviceS: 600 + rng.int(900),
  }));
  for (const objective of ['makespan', 'total'] as const) {
    const p3 = planRoutes({ targets: few, network: net, teams: shiftTeams(3, depot), break: LUNCH }, { seed, timeLimitMs: 1500, objective });
    const o3 = p3.objective;
    console.log(
      `demo township, 17 targets, 3 teams, objective ${objective}: stops per team ${p3.routes.map((r) => r.stops.length).join(' / ')}, makespan ${(o3.makespanS! / 3600).toFixed(2)} h vs total work ÷ teams ${(o3.evenSplitS! / 3600).toFixed(2)} h (${((o3.makespanS! / o3.evenSplitS! - 1) * 100).toFixed(1)} %, floor ≤ 10 %), lower bound ${(o3.lowerBoundS! / 3600).toFixed(2)} h, total travel ${(o3.totalTravelS / 3600).toFixed(2)} h`,
    );
  }
}

if ((!only || only === 'tsp') && have('tsplib', 'TSP')) benchTsp();
if ((!only || only === 'cvrp') && have('cvrplib', 'CVRP')) benchCvrp();
if ((!only || only === 'solomon') && have('cvrplib/solomon', 'Solomon VRPTW')) benchSolomon();
if ((!only || only === 'osm') && have('osm', 'OpenStreetMap networks')) benchOsm();
if (!only || only === 'field') benchField();
