import { bboxOf } from './geojson';
import type { GroundReport } from './ground-report';
import { pointToPolygonDistanceM } from './point-to-polygon-distance';
import type { Target } from './target';
import { TargetIndex } from './target-index';

export type ReportMatch =
  | { kind: 'by_id'; targetId: string }
  | { kind: 'by_position'; targetId: string; distanceM: number }
  | { kind: 'unknown_target'; targetId: string }
  | { kind: 'unmatched' };

type ReportPlace = Pick<GroundReport, 'targetId' | 'position' | 'accuracyM'>;

/**
 * Finds the target a ground report speaks about: by its target id when given; otherwise the nearest
 * target whose outline lies within the report's GPS accuracy plus `marginM` of its position (ties: the
 * smaller id). With a {@link TargetIndex}, only targets near the report are measured; `accept` limits the
 * targets a position match may choose (e.g. one team's).
 */
export function matchReport(report: ReportPlace, targets: Target[] | TargetIndex, marginM: number, accept?: (t: Target) => boolean): ReportMatch {
  if (report.targetId) {
    const known = targets instanceof TargetIndex ? targets.get(report.targetId) !== undefined : targets.some((t) => t.id === report.targetId);
    return known ? { kind: 'by_id', targetId: report.targetId } : { kind: 'unknown_target', targetId: report.targetId };
  }
  const limit = report.accuracyM + marginM;
  const [lon, lat] = report.position;
  // Degrees that surely exceed `limit` metres (1 % slack): targets whose box is farther are skipped unmeasured.
  const padLat = (limit * 1.01) / 110_574 + 1e-9;
  const padLon = (limit * 1.01) / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180))) + 1e-9;
  const near = targets instanceof TargetIndex ? targets.within(lon - padLon, lat - padLat, lon + padLon, lat + padLat) : targets;
  let best: { id: string; d: number } | null = null;
  for (const t of near) {
    if (accept && !accept(t)) continue;
    const [x0, y0, x1, y1] = boxOf(t.geometry);
    if (lon < x0 - padLon || lon > x1 + padLon || lat < y0 - padLat || lat > y1 + padLat) continue;
    const d = pointToPolygonDistanceM(report.position, t.geometry);
    if (d <= limit && (!best || d < best.d || (d === best.d && t.id < best.id))) best = { id: t.id, d };
  }
  return best ? { kind: 'by_position', targetId: best.id, distanceM: best.d } : { kind: 'unmatched' };
}

/** Bounding boxes of target outlines, computed once per geometry object: a batch of reports is matched in linear time per report. */
const BOXES = new WeakMap<object, [number, number, number, number]>();

function boxOf(g: Target['geometry']): [number, number, number, number] {
  let b = BOXES.get(g);
  if (!b) {
    b = bboxOf(g);
    BOXES.set(g, b);
  }
  return b;
}
