import { PlanJson, type PlanBody } from '@tiandi/api';
import { sha256Hex, type LonLat } from '@tiandi/geo';
import { PlannerError } from '../errors';

/**
 * A plan as the workspace records it (`POST /api/plans`, store's `recordPlan` / `importPlan`): one row per team,
 * its stops in order, `arriveS` in seconds after midnight of the stop's own day. The API's {@link PlanBody}.
 */
export type PlanRecord = PlanBody;

/**
 * What a plan record is made of: the routes of a {@link Plan} in memory, or of a plan.json read back (where a total
 * or an arrival may be missing and a stop may name no target).
 */
export interface RecordablePlan {
  routes: readonly {
    teamId: string;
    day: number;
    durationS?: number | null;
    distanceM?: number | null;
    path: readonly LonLat[];
    stops: readonly { targetId: string | null; lon: number; lat: number; arrivalS?: number | null }[];
  }[];
}

/**
 * The one conversion of a plan into the workspace's record: one row per team of `teamIds` (default: the plan's
 * teams in route order), its days in order — the route a line per day with a path, durations and distances summed
 * (null when a day lacks one), stops concatenated. The web planner saves a plan with it, `tiandi plan --workspace`
 * and `tiandi plans import` (through {@link planRecordFromJson}) record one with it.
 */
export function planRecord(plan: RecordablePlan, planId: string, teamIds: readonly string[] = [...new Set(plan.routes.map((r) => r.teamId))]): PlanRecord {
  return {
    planId,
    teams: teamIds.map((team) => {
      const routes = plan.routes.filter((r) => r.teamId === team).sort((a, b) => a.day - b.day);
      const lines = routes.map((r) => r.path as LonLat[]).filter((p) => p.length >= 2);
      const sum = (k: 'durationS' | 'distanceM') => (routes.every((r) => typeof r[k] === 'number') ? routes.reduce((s, r) => s + (r[k] as number), 0) : null);
      return {
        team,
        route: lines.length ? { type: 'MultiLineString' as const, coordinates: lines } : null,
        durationS: sum('durationS'),
        distanceM: sum('distanceM'),
        stops: routes.flatMap((r) => r.stops.map((s) => ({ targetId: s.targetId, position: [s.lon, s.lat] as LonLat, arriveS: s.arrivalS ?? null }))),
      };
    }),
  };
}

/**
 * Reads the plan.json written by `tiandi plan` (version 1) into its record ({@link planRecord}). The plan id is
 * `planId` when given, else `plan-<date>-<first 12 hex of the text's sha256>`, so recording the same file again
 * replaces the same plan. Throws TIANDI_E_PLAN_INPUT naming the file (`path`) and the field.
 */
export function planRecordFromJson(text: string, file: string, planId?: string): PlanRecord {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PlannerError(
      'TIANDI_E_PLAN_INPUT',
      `不是有效的 JSON invalid JSON (${(e as Error).message}): give the plan.json written by 'tiandi plan'`,
      undefined,
      file,
    );
  }
  const r = PlanJson.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.');
    throw new PlannerError(
      'TIANDI_E_PLAN_INPUT',
      `不是 tiandi plan 的 plan.json not a plan.json from 'tiandi plan' (version 1): ${field || '(top)'}: ${issue.message}`,
      field,
      file,
    );
  }
  if (planId !== undefined && !/^[\w.-]{1,80}$/.test(planId)) {
    throw new PlannerError('TIANDI_E_PLAN_INPUT', `计划编号只能含字母数字和 ._- plan id '${planId}': letters, digits, . _ - (≤ 80)`, 'planId', file);
  }
  const id = planId ?? `plan-${r.data.date ?? 'undated'}-${sha256Hex(new TextEncoder().encode(text)).slice(0, 12)}`;
  return planRecord(r.data as RecordablePlan, id);
}
