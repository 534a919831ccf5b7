import type { LonLat } from '@tiandi/geo';
import { describe, expect, it } from 'vitest';
import { buildNetwork, metresPerDegree } from '../network/build-network';
import { gridRoads } from '../network/grid-roads';
import { createRng } from '../random';
import { planRoutes } from './plan-routes';
import type { Plan, PlanProblem, PlanTarget, PlanTeam } from './plan-types';

const O: LonLat = [102.26, 27.86];
const { kx, ky } = metresPerDegree(O[1]);
const at = (x: number, y: number): LonLat => [O[0] + x / kx, O[1] + y / ky];
const roads = gridRoads({ origin: O, nx: 9, ny: 9, spacingM: 500, onewayEvery: 3 });
const net = buildNetwork(roads);
const depot = at(2000, 2000);

function targets(n: number, seed: number): PlanTarget[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `T${i + 1}`,
    lonLat: at(rng.next() * 4000, rng.next() * 4000),
    priority: 0.5 + Math.round(rng.next() * 10) / 10,
    serviceS: 600,
  }));
}
const teams = (k: number, over: Partial<PlanTeam> = {}): PlanTeam[] =>
  Array.from({ length: k }, (_, i) => ({ id: `team${i + 1}`, start: depot, shiftS: 4 * 3600, ...over }));

/** Every route obeys its shift, stop limit, windows and break; times add up; every target is accounted for once. */
function checkFeasible(plan: Plan, problem: PlanProblem): void {
  const byId = new Map(problem.targets.map((t) => [t.id, t]));
  const seen = new Set<string>();
  for (const r of plan.routes) {
    const team = problem.teams.find((t) => t.id === r.teamId)!;
    const s0 = team.shiftStartS ?? 8 * 3600;
    expect(r.departS).toBe(s0);
    expect(r.returnS).toBeLessThanOrEqual(s0 + team.shiftS + 1);
    expect(r.stops.length).toBeLessThanOrEqual(team.maxStops ?? Infinity);
    let prev = r.departS;
    for (const s of r.stops) {
      const t = byId.get(s.targetId)!;
      expect(s.arrivalS).toBeGreaterThanOrEqual(prev);
      expect(s.startS).toBeGreaterThanOrEqual(s.arrivalS);
      if (t.earliestS !== undefined) expect(s.startS).toBeGreaterThanOrEqual(t.earliestS - 1);
      if (t.latestS !== undefined) expect(s.startS).toBeLessThanOrEqual(t.latestS + 1);
      expect(s.departureS - s.startS).toBe(t.serviceS);
      prev = s.departureS;
      expect(seen.has(s.targetId)).toBe(false);
      seen.add(s.targetId);
    }
    expect(r.returnS).toBeGreaterThanOrEqual(prev);
    expect(r.path.length).toBeGreaterThanOrEqual(2);
  }
  for (const u of plan.unassigned) {
    expect(seen.has(u.targetId)).toBe(false);
    seen.add(u.targetId);
  }
  for (const id of plan.visited) seen.add(id);
  expect(seen.size).toBe(problem.targets.length);
}

describe('planRoutes', () => {
  it('plans feasible routes for several teams on a network and explains every target left out', () => {
    const problem: PlanProblem = { targets: targets(80, 1), teams: teams(3, { maxStops: 12 }), network: net };
    const plan = planRoutes(problem, { maxIterations: 400, seed: 1, timeLimitMs: 1e9 });
    checkFeasible(plan, problem);
    expect(plan.routes.length).toBe(3);
    expect(plan.objective.served).toBe(36); // 3 teams × 12 stops: the stop limit binds
    expect(plan.unassigned.every((u) => u.reason === 'NO_CAPACITY')).toBe(true);
    // The highest priorities are served first.
    const minServed = Math.min(...plan.routes.flatMap((r) => r.stops.map((s) => s.priority)));
    const maxLeft = Math.max(...plan.unassigned.map((u) => u.priority));
    expect(minServed).toBeGreaterThanOrEqual(maxLeft - 0.3);
  });

  it('respects time windows, the midday break and multi-day plans', () => {
    const ts = targets(60, 2);
    ts.slice(0, 10).forEach((t) => {
      t.earliestS = 13 * 3600;
      t.latestS = 15 * 3600;
    });
    const problem: PlanProblem = {
      targets: ts,
      teams: teams(2, { shiftS: 8 * 3600 }),
      network: net,
      days: 2,
      break: { earliestS: 12 * 3600, durationS: 3600 },
    };
    const plan = planRoutes(problem, { maxIterations: 400, seed: 2, timeLimitMs: 1e9 });
    checkFeasible(plan, problem);
    expect(new Set(plan.routes.map((r) => r.day))).toEqual(new Set([0, 1]));
    for (const r of plan.routes) {
      if (r.returnS <= 12 * 3600) continue;
      expect(r.break).not.toBeNull();
      expect(r.break!.startS).toBeGreaterThanOrEqual(12 * 3600);
      const after = r.stops.find((s) => s.arrivalS >= 12 * 3600);
      if (after) expect(after.startS).toBeGreaterThanOrEqual(r.break!.startS + 3600);
    }
  });

  it('reports unreachable targets with their reason and never aborts', () => {
    const island = { type: 'Feature', properties: { highway: 'track' }, geometry: { type: 'LineString', coordinates: [at(9000, 0), at(9000, 3000)] } };
    const net2 = buildNetwork({ ...roads, features: [...roads.features, island] } as never);
    const ts = targets(10, 3);
    ts.push({ id: 'far', lonLat: at(20000, 20000), priority: 1, serviceS: 600 });
    ts.push({ id: 'island', lonLat: at(9010, 1500), priority: 1, serviceS: 600 });
    const problem: PlanProblem = { targets: ts, teams: teams(2), network: net2 };
    const plan = planRoutes(problem, { maxIterations: 100 });
    checkFeasible(plan, problem);
    expect(plan.unassigned.find((u) => u.targetId === 'far')?.reason).toBe('UNREACHABLE_FAR');
    expect(plan.unassigned.find((u) => u.targetId === 'island')?.reason).toBe('UNREACHABLE_DISCONNECTED');
    expect(plan.objective.served).toBe(10);
  });

  it('rejects a depot off the network and a shift shorter than the nearest round trip', () => {
    const ts = targets(5, 4);
    expect(() => planRoutes({ targets: ts, teams: [{ id: 'a', start: at(30000, 30000), shiftS: 3600 }], network: net })).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_DEPOT_OFF_NETWORK' }),
    );
    expect(() => planRoutes({ targets: ts, teams: [{ id: 'a', start: depot, shiftS: 300 }], network: net })).toThrow(
      expect.objectContaining({ code: 'TIANDI_E_SHIFT_TOO_SHORT' }),
    );
    expect(() => planRoutes({ targets: [], teams: teams(1), network: net })).toThrow(expect.objectContaining({ code: 'TIANDI_E_NO_TARGETS' }));
  });

  it('is deterministic for a seed and an iteration limit', () => {
    const problem: PlanProblem = { targets: targets(40, 5), teams: teams(2), network: net };
    const a = planRoutes(problem, { maxIterations: 300, seed: 7, timeLimitMs: 1e9 });
    const b = planRoutes(problem, { maxIterations: 300, seed: 7, timeLimitMs: 1e9 });
    expect(a.routes).toEqual(b.routes);
    expect(a.unassigned).toEqual(b.unassigned);
  });

  it('re-plans after a day: visited targets stay out and each team keeps its remaining order', () => {
    const ts = targets(30, 6);
    const problem: PlanProblem = { targets: ts, teams: teams(2, { shiftS: 8 * 3600 }), network: net };
    const first = planRoutes(problem, { maxIterations: 300, seed: 1, timeLimitMs: 1e9 });
    const visited = first.routes.flatMap((r) => r.stops.slice(0, 3).map((s) => s.targetId));
    const extra: PlanTarget = { id: 'new', lonLat: at(1000, 1000), priority: 2, serviceS: 600 };
    const again = planRoutes({ ...problem, targets: [...ts, extra], visited, previous: first }, { seed: 1 });
    checkFeasible(again, { ...problem, targets: [...ts, extra] });
    expect(again.visited.sort()).toEqual(visited.slice().sort());
    for (const r of again.routes) {
      const before = first.routes
        .find((q) => q.teamId === r.teamId)!
        .stops.map((s) => s.targetId)
        .filter((id) => !visited.includes(id));
      expect(r.stops.map((s) => s.targetId).filter((id) => id !== 'new')).toEqual(before);
    }
    expect(again.routes.some((r) => r.stops.some((s) => s.targetId === 'new'))).toBe(true);
  });

  it('stops optimising when the signal aborts and still returns a complete plan', () => {
    const problem: PlanProblem = { targets: targets(40, 9), teams: teams(2), network: net };
    const ac = new AbortController();
    ac.abort();
    const plan = planRoutes(problem, { signal: ac.signal, timeLimitMs: 60_000 });
    expect(plan.stats.iterations).toBe(0);
    checkFeasible(plan, problem);
  });

  it('plans without a network with geodesic distance × detour at one speed', () => {
    const problem: PlanProblem = { targets: targets(20, 8), teams: teams(2), travel: { speedKmh: 20, detourFactor: 1.3 } };
    const plan = planRoutes(problem, { maxIterations: 200 });
    checkFeasible(plan, problem);
    expect(plan.stats.travel).toBe('geodesic');
    const r = plan.routes[0];
    expect(r.distanceM / r.travelS).toBeCloseTo(20 / 3.6, 1);
  });

  it('draws each track along exactly what was timed: network legs and short straight walks alike', () => {
    // Targets in the middle of the blocks: neighbours 500 m apart by road, some within a straight 300 m walk.
    const problem: PlanProblem = {
      targets: [at(1250, 1250), at(1250, 1500), at(1500, 1250), at(2250, 2250), at(2750, 2250), at(2250, 2750)].map((p, i) => ({
        id: `B${i}`,
        lonLat: p,
        priority: 1,
        serviceS: 300,
      })),
      teams: teams(1),
      network: net,
    };
    const plan = planRoutes(problem, { maxIterations: 200 });
    const r = plan.routes[0];
    let len = 0;
    for (let k = 1; k < r.path.length; k++) len += Math.hypot((r.path[k][0] - r.path[k - 1][0]) * kx, (r.path[k][1] - r.path[k - 1][1]) * ky);
    expect(r.stops.length).toBe(6);
    expect(len).toBeCloseTo(r.distanceM, -1);
    expect(r.stops.every((s) => s.walkM <= 250 + 1e-6)).toBe(true);
  });

  it('walks no further straight than the bound between places', () => {
    const problem: PlanProblem = {
      targets: [at(1250, 1250), at(1250, 1700)].map((p, i) => ({ id: `W${i}`, lonLat: p, priority: 1, serviceS: 60 })),
      teams: teams(1),
      network: net,
      travel: { walkKmh: 4 },
    };
    const plan = planRoutes(problem, { maxIterations: 50 });
    const [a, b] = plan.routes[0].stops;
    // 450 m apart in one block: beyond the 300-m straight walk, so out to the road and back in.
    expect(b.arrivalS - a.departureS).toBeGreaterThan(450 / (4 / 3.6) + 1);
  });

  it('by default finishes soonest: every team gets work and the latest return is near an even split', () => {
    const problem: PlanProblem = { targets: targets(18, 21).map((t) => ({ ...t, serviceS: 900 })), teams: teams(3, { shiftS: 8 * 3600 }), network: net };
    const plan = planRoutes(problem, { maxIterations: 3000 });
    checkFeasible(plan, problem);
    expect(plan.routes.length).toBe(3);
    expect(plan.routes.every((r) => r.stops.length > 0)).toBe(true);
    const o = plan.objective;
    expect(o.kind).toBe('makespan');
    expect(o.makespanS).toBe(Math.max(...plan.routes.map((r) => r.durationS)));
    expect(o.makespanS! / o.evenSplitS!).toBeLessThan(1.1);
    expect(o.lowerBoundS!).toBeLessThanOrEqual(o.makespanS!);
    const total = planRoutes({ ...problem }, { maxIterations: 3000, objective: 'total', balanceWeight: 0 });
    expect(total.objective.kind).toBe('total');
    expect(total.objective.totalTravelS).toBeLessThanOrEqual(o.totalTravelS + 1);
    expect(total.objective.makespanS!).toBeGreaterThan(o.makespanS!);
  });

  it('finishes soonest over several days too: work that fits in one day is not spread over the week', () => {
    const problem: PlanProblem = { targets: targets(8, 31), teams: teams(2, { shiftS: 8 * 3600 }), network: net, days: 4 };
    const plan = planRoutes(problem, { maxIterations: 2000 });
    checkFeasible(plan, problem);
    expect(plan.objective.served).toBe(8);
    expect(new Set(plan.routes.map((r) => r.day))).toEqual(new Set([0]));
    expect(plan.routes.length).toBe(2);
  });

  it('bounds the makespan from below: four stops for three teams, one team does two', () => {
    const near = [at(2010, 2000), at(1990, 2000), at(2000, 2010), at(2000, 1990)].map((p, i) => ({ id: `N${i}`, lonLat: p, priority: 1, serviceS: 900 }));
    const plan = planRoutes({ targets: near, teams: teams(3), travel: { speedKmh: 20 } }, { maxIterations: 500 });
    const o = plan.objective;
    expect(plan.routes.map((r) => r.stops.length).sort()).toEqual([1, 1, 2]);
    expect(o.lowerBoundS!).toBeGreaterThanOrEqual(1800); // the busiest team serves two: 2 × 15 min at least
    expect(o.lowerBoundS!).toBeLessThanOrEqual(o.makespanS!);
    expect(o.gapToLowerBound!).toBeLessThan(0.05);
  });
});
