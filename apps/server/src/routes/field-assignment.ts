import { amapNavigationUriGcj02, stopInfo, type StopInfo } from '@tiandi/planner';
import { fromGpkgBlob, readTargets, readZones, type Workspace } from '@tiandi/store';
import { labelPoint, zoneLookup } from '../workspace/zone-lookup';
import type { Geometry, LonLat, Target } from '@tiandi/geo';

/** One stop of a team's route as the field view shows it. */
export interface FieldStop {
  seq: number;
  targetId: string | null;
  lon: number;
  lat: number;
  /** Planned arrival, seconds after local midnight, when the plan has it. */
  arriveS: number | null;
  /** Gaode navigation link (coordinates converted to GCJ-02 for the app). */
  amapUriGcj02: string;
  /** Village, area, score, model and what to look for (absent for a stop without a target). */
  info?: StopInfo;
}

/** What a field team needs to work offline: its route, its targets and the reports already received. */
export interface FieldAssignment {
  team: string;
  plan: { planId: string; createdAt: string; durationS: number | null; distanceM: number | null } | null;
  route: Geometry | null;
  stops: FieldStop[];
  targets: { type: 'FeatureCollection'; features: { type: 'Feature'; id: string; geometry: Geometry; properties: Record<string, unknown> }[] };
  reports: { reportId: string; targetId: string | null; verdict: string; observedAt: string }[];
}

/**
 * The team's current assignment: the stops and route of the latest plan that gives it stops, the
 * targets of those stops (and those it has reported on), and its reports so far. Read-only.
 */
export function readAssignment(ws: Workspace, team: string): FieldAssignment {
  const plan = ws.db
    .prepare('SELECT plan_id, created_at, duration_s, distance_m, geom FROM plans WHERE team = ? ORDER BY fid DESC LIMIT 1')
    .get(team) as { plan_id: string; created_at: string; duration_s: number | null; distance_m: number | null; geom: Buffer | null } | undefined;
  const stops: FieldStop[] = plan
    ? (ws.db.prepare('SELECT seq, target_id, arrive_s, geom FROM stops WHERE plan_id = ? AND team = ? ORDER BY seq').all(plan.plan_id, team) as { seq: number; target_id: string | null; arrive_s: number | null; geom: Buffer }[]).map((s) => {
        const [lon, lat] = (fromGpkgBlob(s.geom) as { coordinates: LonLat }).coordinates;
        return { seq: s.seq, targetId: s.target_id, lon, lat, arriveS: s.arrive_s, amapUriGcj02: amapNavigationUriGcj02([lon, lat], s.target_id ?? `#${s.seq}`, 'walk') };
      })
    : [];
  const reports = (ws.db.prepare('SELECT report_id, target_id, verdict, observed_at FROM reports WHERE team = ? ORDER BY fid').all(team) as { report_id: string; target_id: string | null; verdict: string; observed_at: string }[]).map((r) => ({
    reportId: r.report_id,
    targetId: r.target_id,
    verdict: r.verdict,
    observedAt: r.observed_at,
  }));
  const ids = new Set([...stops.map((s) => s.targetId), ...reports.map((r) => r.targetId)].filter((x): x is string => !!x));
  const targets = readTargets(ws).filter((t) => ids.has(t.id));
  // What the phone shows at each stop: the same details as the route sheet and the exports.
  const byId = new Map(targets.map((t) => [t.id, t]));
  const zoneOf = zoneLookup(readZones(ws));
  const modelOf = ws.db.prepare('SELECT model, model_version FROM candidates WHERE target_id = ? ORDER BY score_max DESC LIMIT 1');
  for (const s of stops) {
    const t = s.targetId ? byId.get(s.targetId) : undefined;
    if (!t) continue;
    const zone = zoneOf(labelPoint(t.geometry));
    const m = modelOf.get(t.id) as { model: string | null; model_version: string | null } | undefined;
    const model = [m?.model, m?.model_version].filter(Boolean).join(' ');
    s.info = stopInfo({ id: t.id, lonLat: [s.lon, s.lat], priority: 1, serviceS: 0, areaM2: t.areaM2, info: { ...(zone?.name ? { village: zone.name } : {}), score: t.scoreMax, ...(model ? { model } : {}) } });
  }
  return {
    team,
    plan: plan ? { planId: plan.plan_id, createdAt: plan.created_at, durationS: plan.duration_s, distanceM: plan.distance_m } : null,
    route: plan?.geom ? (fromGpkgBlob(plan.geom) as Geometry) : null,
    stops,
    targets: { type: 'FeatureCollection', features: targets.map(fieldTargetFeature) },
    reports,
  };
}

/**
 * True when the team may see or report on this target: it is a stop of any plan given to the team
 * (a report written offline still counts after a re-plan moved the target), or the team reported on it.
 */
export function teamHasTarget(ws: Workspace, team: string, targetId: string): boolean {
  if (ws.db.prepare('SELECT 1 FROM stops WHERE team = ? AND target_id = ? LIMIT 1').get(team, targetId)) return true;
  return !!ws.db.prepare('SELECT 1 FROM reports WHERE team = ? AND target_id = ? LIMIT 1').get(team, targetId);
}

/** Every target the team may report on (see {@link teamHasTarget}), for matching its reports by position. */
export function teamTargetIds(ws: Workspace, team: string): Set<string> {
  const rows = ws.db.prepare('SELECT target_id FROM stops WHERE team = ? AND target_id IS NOT NULL UNION SELECT target_id FROM reports WHERE team = ? AND target_id IS NOT NULL').all(team, team) as { target_id: string }[];
  return new Set(rows.map((r) => r.target_id));
}

function fieldTargetFeature(t: Target) {
  return {
    type: 'Feature' as const,
    id: t.id,
    geometry: t.geometry as Geometry,
    properties: { target_id: t.id, status: t.status, score_max: t.scoreMax, area_m2: Math.round(t.areaM2 * 10) / 10, missed_by_scan: t.missedByScan },
  };
}
