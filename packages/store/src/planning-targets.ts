import { parseSeason, pointToPolygonDistanceM, type LonLat, type Polygonal, type Target, type TargetStatus } from '@tiandi/geo';
import { readSeason, readTargets, readZones } from './rows';
import { targetModelLookup } from './survey-reads';
import type { Workspace } from './workspace';

/**
 * Target statuses a plan still has to visit: not yet inspected, planned but not reported, a confirmed plot
 * (the team eradicates it), and one to revisit. The CLI, the server and the web planner plan these.
 */
export const PLAN_OPEN_STATUSES: ReadonlySet<TargetStatus> = new Set<TargetStatus>(['detected', 'planned', 'confirmed', 'needs_revisit']);

/** The default policy's review threshold: where plans start in a workspace without a season. */
const DEFAULT_REVIEW_THRESHOLD = parseSeason({ id: 'default', year: 2000 }).policy.reviewThreshold;

/**
 * The lowest score a plan covers unless told otherwise: the season's review threshold (certifying needs every target
 * at or above it visited), else the default policy's; `seasonId` is null without a season. The CLI, the server and
 * the web planner (through GET /api/planning/context) all start from it.
 */
export function planningMinScore(ws: Workspace): { minScore: number; seasonId: string | null } {
  try {
    const season = readSeason(ws);
    return { minScore: season.policy.reviewThreshold, seasonId: season.id };
  } catch (e) {
    if ((e as { code?: string }).code === 'TIANDI_E_NOT_FOUND') return { minScore: DEFAULT_REVIEW_THRESHOLD, seasonId: null };
    throw e;
  }
}

/** A desk or model dismissal drawn for a ground audit: a team must go there, whatever the dismissal said. */
const drawnForAudit = (t: Target): boolean => (t.status === 'dismissed_desk' || t.status === 'dismissed_model') && t.groundAudit === true;

/** A target as the planner reads it (GeoJSON feature properties `targetsFromGeoJson` knows). */
export interface PlanningTargetFeature {
  type: 'Feature';
  geometry: Polygonal;
  properties: { id: string; score_max: number; area_m2: number; village?: string; model?: string; model_version?: string };
}

/** What {@link planningTargets} chose, and what it left out. */
export interface PlanningTargets {
  fc: { type: 'FeatureCollection'; features: PlanningTargetFeature[] };
  /** Open targets left out because their score is below the minimum. */
  below: number;
  /** Targets not open any more (inspected, dismissed, eradicated …). */
  closed: number;
}

/** How a plan chooses its targets from the workspace. */
export interface PlanningTargetsOptions {
  /** Scan targets scoring below this are left out (ground findings never are). */
  minScore: number;
  /** Only targets whose village (the smallest zone containing them) is this zone. */
  zoneId?: string;
  /** Exactly these targets, whatever their status or score (a planner's own selection). */
  targetIds?: readonly string[];
}

/**
 * The targets a plan visits, built once for the CLI (`tiandi plan --workspace`) and the server
 * (`POST /api/plans/compute`): open targets ({@link PLAN_OPEN_STATUSES}, and dismissals drawn for a ground audit) scoring at least `minScore`
 * (ground findings always), or exactly `targetIds`; each with its village (the smallest zone containing it:
 * village, else township, county), the model of its best candidate and its score.
 */
export function planningTargets(ws: Workspace, opts: PlanningTargetsOptions): PlanningTargets {
  const villageOf = villageLookup(ws);
  const modelOf = targetModelLookup(ws);
  const ids = opts.targetIds ? new Set(opts.targetIds) : null;
  const features: PlanningTargetFeature[] = [];
  let below = 0,
    closed = 0;
  for (const t of readTargets(ws)) {
    if (ids) {
      if (!ids.has(t.id)) continue;
    } else {
      if (!PLAN_OPEN_STATUSES.has(t.status) && !drawnForAudit(t)) {
        closed++;
        continue;
      }
      if (t.origin !== 'ground' && t.scoreMax < opts.minScore) {
        below++;
        continue;
      }
    }
    const village = villageOf(t);
    if (!ids && opts.zoneId !== undefined && village?.zoneId !== opts.zoneId) continue;
    const m = modelOf(t.id);
    features.push({
      type: 'Feature',
      geometry: t.geometry as Polygonal,
      properties: {
        id: t.id,
        score_max: t.scoreMax,
        area_m2: t.areaM2,
        ...(village ? { village: village.name ?? village.zoneId } : {}),
        ...(m?.model ? { model: m.model, model_version: m.modelVersion ?? undefined } : {}),
      },
    });
  }
  return { fc: { type: 'FeatureCollection', features }, below, closed };
}

/** The smallest zone (village, else township, county) containing a target's outer-ring centre. */
function villageLookup(ws: Workspace): (t: Target) => { zoneId: string; name: string | null } | undefined {
  const rank = { village: 0, township: 1, county: 2 } as Record<string, number>;
  const zones = readZones(ws).sort((a, b) => (rank[a.level] ?? 3) - (rank[b.level] ?? 3));
  return (t) => {
    const ring = (t.geometry.type === 'Polygon' ? t.geometry.coordinates[0] : t.geometry.coordinates[0][0]) as LonLat[];
    const mid: LonLat = [ring.reduce((a, p) => a + p[0], 0) / ring.length, ring.reduce((a, p) => a + p[1], 0) / ring.length];
    return zones.find((z) => pointToPolygonDistanceM(mid, z.geometry) === 0);
  };
}
