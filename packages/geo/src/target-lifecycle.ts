import { GeoError } from './errors';
import type { LonLat, Polygon } from './geojson';
import type { GroundReport } from './ground-report';
import { geodesicAreaM2 } from './geodesic-area';
import { targetIdFor } from './merge-candidates';
import { TARGET_STATUSES, type Target, type TargetStatus } from './target';

export interface LifecycleOptions {
  /** An eradication is verified only by a visit at least this many days later (default 1). */
  verifyAfterDays?: number;
}

/** What applying one piece of evidence did to a target. */
export interface TargetChange {
  target: Target;
  from: TargetStatus;
  to: TargetStatus;
  /** Set when the evidence contradicted what was known; the target is flagged for review and its status kept. */
  contradiction: string | null;
}

const NEGATIVE = new Set(['not_poppy', 'nothing_found']);
const OPEN: ReadonlySet<TargetStatus> = new Set(['detected', 'planned', 'needs_revisit']);

/**
 * Advances a target by one ground report (ARCHITECTURE "Target lifecycle"):
 * detected|planned|needs_revisit → confirmed (confirmed_poppy) | eradicated (eradicated) | inspected_negative
 * (not_poppy, nothing_found) | needs_revisit (inaccessible); confirmed → eradicated; eradicated →
 * eradication_verified on a later visit (≥ verifyAfterDays) that finds it gone. Evidence that contradicts
 * (poppy where it was negative or eradicated, negative where it was confirmed) is not applied: the target
 * is flagged for review. Applying the same report twice changes nothing.
 */
export function applyReport(target: Target, report: GroundReport, opts: LifecycleOptions = {}): TargetChange {
  const from = target.status;
  if (target.reportIds.includes(report.reportId)) return { target, from, to: from, contradiction: null };
  const t: Target = { ...target, reportIds: [...target.reportIds, report.reportId] };
  const v = report.verdict;
  let to: TargetStatus = from;
  let contradiction: string | null = null;
  const later = (since: string | null) =>
    since !== null && Date.parse(report.observedAt) - Date.parse(since) >= (opts.verifyAfterDays ?? 1) * 86400_000;

  if (OPEN.has(from)) {
    if (v === 'confirmed_poppy') to = 'confirmed';
    else if (v === 'eradicated') to = 'eradicated';
    else if (NEGATIVE.has(v)) to = 'inspected_negative';
    else to = 'needs_revisit';
  } else if (from === 'confirmed') {
    if (v === 'eradicated') to = 'eradicated';
    else if (NEGATIVE.has(v)) contradiction = `已确认罂粟，但报告 ${report.reportId} 称 ${v} — confirmed poppy, report says ${v}`;
  } else if (from === 'inspected_negative') {
    if (v === 'confirmed_poppy' || v === 'eradicated') contradiction = `已核查为阴性，但报告 ${report.reportId} 称 ${v} — inspected negative, report says ${v}`;
  } else if (from === 'eradicated') {
    if ((NEGATIVE.has(v) || v === 'eradicated') && later(t.eradicatedAt)) to = 'eradication_verified';
    else if (v === 'confirmed_poppy') contradiction = `已铲除，但报告 ${report.reportId} 仍发现罂粟 — eradicated, report still finds poppy`;
  } else if (from === 'eradication_verified') {
    if (v === 'confirmed_poppy') contradiction = `铲除已复核，但报告 ${report.reportId} 发现罂粟 — eradication verified, report finds poppy`;
  }
  if (to === 'eradicated' && from !== 'eradicated') t.eradicatedAt = report.observedAt;
  if (contradiction) {
    t.review = { reason: contradiction, reportIds: [...new Set([...(t.review?.reportIds ?? []), ...target.reportIds.slice(-1), report.reportId])] };
  }
  t.status = to;
  return { target: t, from, to, contradiction };
}

/** Marks a target as planned for a ground visit (from detected or needs_revisit; others unchanged). */
export function markPlanned(target: Target): TargetChange {
  const from = target.status;
  const to: TargetStatus = from === 'detected' || from === 'needs_revisit' ? 'planned' : from;
  return { target: { ...target, status: to }, from, to, contradiction: null };
}

/**
 * A person's decision on a target under review (or a correction): sets any status, clears the review flag.
 * Needs a reason, which goes to the audit log.
 */
export function setStatusByDecision(target: Target, status: TargetStatus, reason: string): TargetChange {
  if (!TARGET_STATUSES.includes(status)) throw new GeoError('TIANDI_E_TRANSITION', `未知状态 unknown status '${status}' (one of ${TARGET_STATUSES.join(', ')})`, 'status');
  if (!reason.trim()) throw new GeoError('TIANDI_E_TRANSITION', '人工改变状态需要理由 a manual status change needs a reason', 'reason');
  return { target: { ...target, status, review: null }, from: target.status, to: status, contradiction: null };
}

/**
 * A target for a ground finding no scan flagged (verdict confirmed_poppy or eradicated): marked
 * missed_by_scan, outlined by a square of the reported area (or of the GPS accuracy) around the position.
 */
export function targetFromFinding(report: GroundReport): Target {
  const sideM = Math.max(2, report.areaM2 ? Math.sqrt(report.areaM2) : 2 * report.accuracyM);
  const geometry = squareAround(report.position, sideM);
  const status: TargetStatus = report.verdict === 'eradicated' ? 'eradicated' : 'confirmed';
  return {
    id: targetIdFor('report/' + report.reportId),
    status,
    origin: 'ground',
    missedByScan: true,
    geometry,
    scoreMax: 1,
    areaM2: geodesicAreaM2(geometry),
    sources: ['report/' + report.reportId],
    review: null,
    eradicatedAt: status === 'eradicated' ? report.observedAt : null,
    reportIds: [report.reportId],
  };
}

function squareAround([lon, lat]: LonLat, sideM: number): Polygon {
  const h = sideM / 2;
  const dLat = h / 110574;
  const dLon = h / (111320 * Math.cos((lat * Math.PI) / 180));
  return { type: 'Polygon', coordinates: [[[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]]] };
}
