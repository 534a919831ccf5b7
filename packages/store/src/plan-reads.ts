import type { Geometry, LonLat } from '@tiandi/geo';
import { fromGpkgBlob } from './gpkg-geometry';
import { dbOf, type Workspace } from './workspace';

/** One team's part of a stored plan (a row of the plans layer, without its route). */
export interface PlanTeamRecord {
  planId: string;
  team: string;
  stopCount: number;
  durationS: number | null;
  distanceM: number | null;
  createdAt: string;
}

/** One stop of a stored plan. */
export interface PlanStopRecord {
  team: string;
  seq: number;
  targetId: string | null;
  arriveS: number | null;
  lonLat: LonLat;
}

interface PlanRow {
  plan_id: string;
  team: string;
  stop_count: number;
  duration_s: number | null;
  distance_m: number | null;
  created_at: string;
}
interface StopRow {
  team: string;
  seq: number;
  target_id: string | null;
  arrive_s: number | null;
  geom: Buffer;
}

const PLAN_COLUMNS = 'plan_id, team, stop_count, duration_s, distance_m, created_at';

function toPlanTeam(r: PlanRow): PlanTeamRecord {
  return { planId: r.plan_id, team: r.team, stopCount: r.stop_count, durationS: r.duration_s, distanceM: r.distance_m, createdAt: r.created_at };
}

function toStop(r: StopRow): PlanStopRecord {
  const [lon, lat] = (fromGpkgBlob(r.geom) as { coordinates: LonLat }).coordinates;
  return { team: r.team, seq: r.seq, targetId: r.target_id, arriveS: r.arrive_s, lonLat: [lon, lat] };
}

/** Every team of every stored plan, oldest plan first (or one plan's teams, by team). */
export function listPlanTeams(ws: Workspace, planId?: string): PlanTeamRecord[] {
  const rows = (
    planId === undefined
      ? dbOf(ws).prepare(`SELECT ${PLAN_COLUMNS} FROM plans ORDER BY created_at, plan_id, team`).all()
      : dbOf(ws).prepare(`SELECT ${PLAN_COLUMNS} FROM plans WHERE plan_id = ? ORDER BY team`).all(planId)
  ) as PlanRow[];
  return rows.map(toPlanTeam);
}

/** A plan's stops, by team then sequence (or one team's only). */
export function readPlanStops(ws: Workspace, planId: string, team?: string): PlanStopRecord[] {
  const rows = (
    team === undefined
      ? dbOf(ws).prepare('SELECT team, seq, target_id, arrive_s, geom FROM stops WHERE plan_id = ? ORDER BY team, seq').all(planId)
      : dbOf(ws).prepare('SELECT team, seq, target_id, arrive_s, geom FROM stops WHERE plan_id = ? AND team = ? ORDER BY seq').all(planId, team)
  ) as StopRow[];
  return rows.map(toStop);
}

/** The latest plan that gives this team a route, with the route's geometry; null when none does. */
export function latestTeamPlan(ws: Workspace, team: string): (PlanTeamRecord & { route: Geometry | null }) | null {
  const r = dbOf(ws).prepare(`SELECT ${PLAN_COLUMNS}, geom FROM plans WHERE team = ? ORDER BY fid DESC LIMIT 1`).get(team) as
    | (PlanRow & { geom: Buffer | null })
    | undefined;
  if (!r) return null;
  return { ...toPlanTeam(r), route: r.geom ? (fromGpkgBlob(r.geom) as Geometry) : null };
}

/**
 * True when the team may see or report on this target: it is a stop of any plan given to the team
 * (a report written offline still counts after a re-plan moved the target), or the team reported on it.
 */
export function teamHasTarget(ws: Workspace, team: string, targetId: string): boolean {
  if (dbOf(ws).prepare('SELECT 1 FROM stops WHERE team = ? AND target_id = ? LIMIT 1').get(team, targetId)) return true;
  return !!dbOf(ws).prepare('SELECT 1 FROM reports WHERE team = ? AND target_id = ? LIMIT 1').get(team, targetId);
}

/** Every target the team may report on (see {@link teamHasTarget}), for matching its reports by position. */
export function teamTargetIds(ws: Workspace, team: string): Set<string> {
  const rows = dbOf(ws)
    .prepare(
      'SELECT target_id FROM stops WHERE team = ? AND target_id IS NOT NULL UNION SELECT target_id FROM reports WHERE team = ? AND target_id IS NOT NULL',
    )
    .all(team, team) as { target_id: string }[];
  return new Set(rows.map((r) => r.target_id));
}
