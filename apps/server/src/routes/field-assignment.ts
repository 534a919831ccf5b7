import type { FieldAssignment, FieldStop, FieldTargetFeature } from '@tiandi/api';
import { amapNavigationUriGcj02, stopInfo } from '@tiandi/planner';
import { latestTeamPlan, listReports, readPlanStops, readTargets, readZones, targetModelLookup, type Workspace } from '@tiandi/store';
import { labelPoint, zoneLookup } from '../workspace/zone-lookup';
import type { Geometry, Target } from '@tiandi/geo';

export type { FieldAssignment, FieldStop };

/**
 * The team's current assignment: the stops and route of the latest plan that gives it stops, the
 * targets of those stops (and those it has reported on), and its reports so far. Read-only.
 */
export function readAssignment(ws: Workspace, team: string): FieldAssignment {
  const plan = latestTeamPlan(ws, team);
  const stops: FieldStop[] = plan
    ? readPlanStops(ws, plan.planId, team).map((s) => {
        const [lon, lat] = s.lonLat;
        return {
          seq: s.seq,
          targetId: s.targetId,
          lon,
          lat,
          arriveS: s.arriveS,
          amapUriGcj02: amapNavigationUriGcj02([lon, lat], s.targetId ?? `#${s.seq}`, 'walk'),
        };
      })
    : [];
  const reports = listReports(ws, { team }).map((r) => ({ reportId: r.reportId, targetId: r.targetId, verdict: r.verdict, observedAt: r.observedAt }));
  const ids = new Set([...stops.map((s) => s.targetId), ...reports.map((r) => r.targetId)].filter((x): x is string => !!x));
  const targets = readTargets(ws).filter((t) => ids.has(t.id));
  // What the phone shows at each stop: the same details as the route sheet and the exports.
  const byId = new Map(targets.map((t) => [t.id, t]));
  const zoneOf = zoneLookup(readZones(ws));
  const modelOf = targetModelLookup(ws);
  for (const s of stops) {
    const t = s.targetId ? byId.get(s.targetId) : undefined;
    if (!t) continue;
    const zone = zoneOf(labelPoint(t.geometry));
    const m = modelOf(t.id);
    const model = [m?.model, m?.modelVersion].filter(Boolean).join(' ');
    s.info = stopInfo({
      id: t.id,
      lonLat: [s.lon, s.lat],
      priority: 1,
      serviceS: 0,
      areaM2: t.areaM2,
      info: { ...(zone?.name ? { village: zone.name } : {}), score: t.scoreMax, ...(model ? { model } : {}) },
    });
  }
  return {
    team,
    plan: plan ? { planId: plan.planId, createdAt: plan.createdAt, durationS: plan.durationS, distanceM: plan.distanceM } : null,
    route: plan?.route ?? null,
    stops,
    targets: { type: 'FeatureCollection', features: targets.map(fieldTargetFeature) },
    reports,
  };
}

function fieldTargetFeature(t: Target): FieldTargetFeature {
  return {
    type: 'Feature',
    id: t.id,
    geometry: t.geometry as Geometry,
    properties: { target_id: t.id, status: t.status, score_max: t.scoreMax, area_m2: Math.round(t.areaM2 * 10) / 10, missed_by_scan: t.missedByScan },
  };
}
