import type { PlanBody } from '@tiandi/api';
import type { MultiLineString } from '@tiandi/geo';
import { markTargetsPlanned } from './targets';
import { dbOf, type Workspace } from './workspace';

/**
 * A plan as the workspace records it: per team, the route and the ordered stops. The API's {@link PlanBody} — the
 * planner's `planRecord` writes it, `POST /api/plans` parses it — so the three cannot drift apart.
 */
export type PlanInput = PlanBody;

/**
 * Records a plan (routes → plans layer, stops → stops layer) and marks its targets planned, as one
 * transaction. Re-recording the same plan id replaces it.
 */
export function importPlan(ws: Workspace, plan: PlanInput, actor: string): { stops: number; planned: string[] } {
  return ws.write(actor, (audit) => {
    dbOf(ws).prepare('DELETE FROM plans WHERE plan_id = ?').run(plan.planId);
    dbOf(ws).prepare('DELETE FROM stops WHERE plan_id = ?').run(plan.planId);
    const insPlan = dbOf(ws).prepare('INSERT INTO plans (geom, plan_id, team, stop_count, duration_s, distance_m, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insStop = dbOf(ws).prepare('INSERT INTO stops (geom, plan_id, team, seq, target_id, arrive_s) VALUES (?, ?, ?, ?, ?, ?)');
    let n = 0;
    for (const t of plan.teams) {
      const route: MultiLineString | null = t.route
        ? t.route.type === 'LineString'
          ? { type: 'MultiLineString', coordinates: [t.route.coordinates] }
          : t.route
        : null;
      insPlan.run(route ? ws.blob(route) : null, plan.planId, t.team, t.stops.length, t.durationS ?? null, t.distanceM ?? null, ws.now());
      if (route) ws.extendLayer('plans', route);
      t.stops.forEach((s, i) => {
        const p = { type: 'Point' as const, coordinates: s.position };
        insStop.run(ws.blob(p), plan.planId, t.team, i + 1, s.targetId, s.arriveS ?? null);
        ws.extendLayer('stops', p);
        n++;
      });
    }
    const ids = [...new Set(plan.teams.flatMap((t) => t.stops.map((s) => s.targetId).filter((x): x is string => !!x)))];
    const planned = markTargetsPlanned(ws, ids, actor, audit);
    audit('plan.record', plan.planId, { teams: plan.teams.map((t) => t.team), stops: n, planned });
    return { stops: n, planned };
  });
}
