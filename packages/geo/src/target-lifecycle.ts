import { GeoError } from './errors';
import type { LonLat, Polygon } from './geojson';
import type { GroundReport } from './ground-report';
import { geodesicAreaM2 } from './geodesic-area';
import { targetIdFor } from './merge-candidates';
import { TARGET_STATUSES, type DeskDecision, type Target, type TargetStatus } from './target';

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
/** Statuses a ground visit is still owed on; a desk or model dismissal is one: the ground overrides the office. */
const OPEN: ReadonlySet<TargetStatus> = new Set(['detected', 'planned', 'needs_revisit', 'dismissed_desk', 'dismissed_model']);

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
  const later = (since: string | null) => since !== null && Date.parse(report.observedAt) - Date.parse(since) >= (opts.verifyAfterDays ?? 1) * 86400_000;

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

/**
 * Marks a target as planned for a ground visit (from detected or needs_revisit, and a desk dismissal drawn
 * for a ground audit; others unchanged).
 */
export function markPlanned(target: Target): TargetChange {
  const from = target.status;
  const plannable =
    from === 'detected' || from === 'needs_revisit' || ((from === 'dismissed_desk' || from === 'dismissed_model') && target.groundAudit === true);
  const to: TargetStatus = plannable ? 'planned' : from;
  return { target: { ...target, status: to }, from, to, contradiction: null };
}

/**
 * A person's decision on a target under review (or a correction): sets any status, clears the review flag.
 * Needs a reason, which goes to the audit log.
 */
export function setStatusByDecision(target: Target, status: TargetStatus, reason: string): TargetChange {
  if (!TARGET_STATUSES.includes(status))
    throw new GeoError('TIANDI_E_TRANSITION', `未知状态 unknown status '${status}' (one of ${TARGET_STATUSES.join(', ')})`, 'status');
  if (!reason.trim()) throw new GeoError('TIANDI_E_TRANSITION', '人工改变状态需要理由 a manual status change needs a reason', 'reason');
  // A negative from the office is not a ground inspection: it is a desk dismissal, and the policy decides what it counts for.
  if (status === 'dismissed_desk')
    throw new GeoError(
      'TIANDI_E_TRANSITION',
      '案头排除请用 dismiss a desk dismissal is recorded with its reviewer and model version: use the dismiss decision (tiandi targets dismiss)',
      'status',
    );
  if (status === 'dismissed_model')
    throw new GeoError(
      'TIANDI_E_TRANSITION',
      '模型排除只由采用适配模型产生 a model dismissal is made only by adopting an adapted verifier (tiandi model adopt)',
      'status',
    );
  if (status === 'inspected_negative' && target.reportIds.length === 0) {
    throw new GeoError(
      'TIANDI_E_TRANSITION',
      `目标 ${target.id} 没有地面报告，不能记为实地排除 no ground report on this target: it cannot be inspected_negative; dismiss it at the desk instead (dismissed_desk)`,
      'status',
    );
  }
  return { target: { ...target, status, review: null }, from: target.status, to: status, contradiction: null };
}

/**
 * An office reviewer dismisses a target from the imagery: status `dismissed_desk` with the decision kept
 * (who, when, why, season, model versions, score). Only open targets (detected, planned, needs_revisit) or
 * an earlier desk dismissal can be dismissed; anything the ground has spoken on cannot.
 */
export function dismissAtDesk(target: Target, decision: Omit<DeskDecision, 'scoreMax' | 'reopened'>): TargetChange {
  const from = target.status;
  if (!OPEN.has(from))
    throw new GeoError(
      'TIANDI_E_TRANSITION',
      `目标 ${target.id} 状态为 ${from}，不能案头排除 is ${from}: only targets awaiting a visit can be dismissed at the desk`,
      'status',
    );
  if (target.origin === 'ground')
    throw new GeoError('TIANDI_E_TRANSITION', `目标 ${target.id} 是地面发现 was found on the ground: it cannot be dismissed at the desk`, 'status');
  if (!decision.reason.trim()) throw new GeoError('TIANDI_E_TRANSITION', '案头排除需要理由 a desk dismissal needs a reason', 'reason');
  const desk: DeskDecision = { ...decision, scoreMax: target.scoreMax, reopened: null };
  return { target: { ...target, status: 'dismissed_desk', desk }, from, to: 'dismissed_desk', contradiction: null };
}

/**
 * An adopted adapted verifier scored a scan target below its threshold: status `dismissed_model` with the model's
 * decision kept (kind 'model', by `model:<name>@<version>`, its score and threshold). Only a target still `detected`
 * (no plan, no ground word, no person's desk decision) and not reopened before is dismissed; others are unchanged.
 */
export function dismissByModel(
  target: Target,
  d: { model: string; at: string; seasonId: string | null; scoreVerify: number; threshold: number },
): TargetChange {
  const from = target.status;
  if (from !== 'detected' || target.origin !== 'scan' || target.review || target.desk?.reopened) return { target, from, to: from, contradiction: null };
  const desk: DeskDecision = {
    kind: 'model',
    by: `model:${d.model}`,
    at: d.at,
    seasonId: d.seasonId,
    modelVersions: [d.model],
    scoreMax: target.scoreMax,
    scoreVerify: d.scoreVerify,
    threshold: d.threshold,
    reopened: null,
    reason: `适配模型复核分 ${d.scoreVerify.toFixed(3)} 低于阈值 ${d.threshold} adapted verifier score below its threshold`,
  };
  return { target: { ...target, status: 'dismissed_model', desk, groundAudit: false }, from, to: 'dismissed_model', contradiction: null };
}

/** Takes back a model dismissal (the version was restored, or a later one keeps the target): back to detected. */
export function undoModelDismissal(target: Target): TargetChange {
  const from = target.status;
  if (from !== 'dismissed_model') return { target, from, to: from, contradiction: null };
  return { target: { ...target, status: 'detected', desk: null, groundAudit: false }, from, to: 'detected', contradiction: null };
}

/** Reopens a desk or model dismissal (a reviewer's, or model version's, other dismissal proved to be poppy): back to detected, the decision kept with why. */
export function reopenDeskDismissal(target: Target, at: string, because: string): TargetChange {
  const from = target.status;
  if ((from !== 'dismissed_desk' && from !== 'dismissed_model') || !target.desk) return { target, from, to: from, contradiction: null };
  return { target: { ...target, status: 'detected', desk: { ...target.desk, reopened: { at, because } } }, from, to: 'detected', contradiction: null };
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
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon - dLon, lat - dLat],
        [lon + dLon, lat - dLat],
        [lon + dLon, lat + dLat],
        [lon - dLon, lat + dLat],
        [lon - dLon, lat - dLat],
      ],
    ],
  };
}
