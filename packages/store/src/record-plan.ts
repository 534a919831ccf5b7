import { StoreError } from './errors';
import { importPlan, type PlanInput } from './import-plan';
import { dbOf, type Workspace } from './workspace';

/**
 * Records a plan read from outside the workspace — a plan.json turned into its record by the planner's
 * `planRecordFromJson` — with {@link importPlan}: routes and stops, and its targets become `planned`, as one
 * transaction. Every stop must name a target of this workspace (plan with the workspace's targets), else
 * TIANDI_E_NOT_FOUND naming `source` and nothing is stored.
 */
export function recordPlan(
  ws: Workspace,
  plan: PlanInput,
  actor: string,
  source: string,
): { planId: string; teams: string[]; stops: number; planned: string[] } {
  const res = ws.write(actor, () => {
    const known = dbOf(ws).prepare('SELECT 1 FROM targets WHERE target_id = ?');
    const unknown = [...new Set(plan.teams.flatMap((t) => t.stops.map((s) => s.targetId)).filter((x): x is string => !!x && !known.get(x)))];
    if (unknown.length) {
      throw new StoreError(
        'TIANDI_E_NOT_FOUND',
        `工作区中没有这些目标 ${unknown.length} target(s) not in this workspace: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''} — plan with the workspace's targets (ids from 'tiandi targets list')`,
        source,
        'targetId',
      );
    }
    return importPlan(ws, plan, actor);
  });
  return { planId: plan.planId, teams: plan.teams.map((t) => t.team), stops: res.stops, planned: res.planned };
}
