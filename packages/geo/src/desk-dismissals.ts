import type { Feature, Polygonal } from './geojson';
import { auditSampleSize, type Policy } from './season';
import type { Target } from './target';

/**
 * A target owes a ground answer (a visit, or a desk decision the policy accepts) when a team found it, or when its
 * first-stage score is at or above the review threshold — verified or not, whatever its verifier score: an
 * unverified target's score was never checked by a second look, so nothing in it spares the visit.
 */
export function owesGroundAnswer(t: Pick<Target, 'origin' | 'scoreMax'>, policy: Pick<Policy, 'reviewThreshold'>): boolean {
  return t.origin === 'ground' || t.scoreMax >= policy.reviewThreshold;
}

/** Why one desk dismissal does not stand in for a ground visit under the season's policy (null: it does). */
export function deskDismissalFault(t: Target, policy: Policy): string | null {
  if (t.status !== 'dismissed_desk') return null;
  const owedVisit = owesGroundAnswer(t, policy);
  const d = policy.deskDismissal;
  if (owedVisit && !d.allowed) return '本季政策不认可案头排除 this season does not accept desk dismissals';
  if (owedVisit && t.origin === 'ground') return '地面发现不能案头排除 a ground finding cannot be dismissed at the desk';
  if (owedVisit && t.scoreMax > d.maxScore) return `得分 ${t.scoreMax.toFixed(2)} 高于案头排除上限 score above the desk limit ${d.maxScore}`;
  if (t.groundAudit) return '抽中地面复核，须实地核查 drawn for a ground audit: inspect it on the ground';
  return null;
}

/** Targets that were dismissed at the desk and not reopened since (whatever the ground said later). */
export const deskDismissed = (targets: Target[]): Target[] => targets.filter((t) => t.desk && !t.desk.reopened);

/** How many of a zone's desk dismissals must be in the ground-audit sample, and how many are. */
export function auditSampleState(targets: Target[], policy: Policy): { dismissals: number; required: number; drawn: number } {
  const pool = deskDismissed(targets);
  return { dismissals: pool.length, required: auditSampleSize(pool.length, policy.deskDismissal), drawn: pool.filter((t) => t.groundAudit).length };
}

/** Desk dismissals as a certificate reports them: apart from ground inspections, by reviewer and model version. */
export interface DeskSummary {
  /** Targets whose standing status is a desk dismissal. */
  dismissed: number;
  /** Desk dismissals drawn for a ground audit, and how many of those the ground has answered. */
  audited: number;
  auditedInspected: number;
  byReviewer: { by: string; count: number }[];
  modelVersions: string[];
  /** Targets resolved by a team on the ground (inspected negative or eradication verified). */
  groundInspected: number;
}

/** Counts a zone's desk dismissals and ground inspections for the certificate. */
export function summarizeDeskDecisions(targets: Target[]): DeskSummary {
  const standing = targets.filter((t) => t.status === 'dismissed_desk');
  const by = new Map<string, number>();
  for (const t of standing) by.set(t.desk?.by ?? 'unknown', (by.get(t.desk?.by ?? 'unknown') ?? 0) + 1);
  const audited = deskDismissed(targets).filter((t) => t.groundAudit);
  return {
    dismissed: standing.length,
    audited: audited.length,
    auditedInspected: audited.filter((t) => t.status !== 'dismissed_desk' && t.status !== 'planned' && t.status !== 'detected').length,
    byReviewer: [...by].map(([b, count]) => ({ by: b, count })).sort((a, b) => b.count - a.count || a.by.localeCompare(b.by)),
    modelVersions: [...new Set(standing.flatMap((t) => t.desk?.modelVersions ?? []))].sort(),
    groundInspected: targets.filter((t) => t.status === 'inspected_negative' || t.status === 'eradication_verified').length,
  };
}

/** A failing target as a rule lists it. */
export const deskFeature = (t: Target, why: string): Feature<Polygonal, Record<string, unknown>> => ({
  type: 'Feature',
  id: t.id,
  geometry: t.geometry,
  properties: { target_id: t.id, status: t.status, score_max: t.scoreMax, origin: t.origin, desk_by: t.desk?.by ?? null, ground_audit: t.groundAudit === true, why },
});
