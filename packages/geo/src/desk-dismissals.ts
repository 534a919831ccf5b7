import type { Feature, Polygonal } from './geojson';
import { auditSampleSize, modelDismissalPolicy, type DeskDismissalPolicy, type Policy } from './season';
import { ruleFeature } from './rule-feature';
import type { Target } from './target';

/**
 * A target owes a ground answer (a visit, or a desk decision the policy accepts) when a team found it, or when its
 * first-stage score is at or above the review threshold — verified or not, whatever its verifier score: an
 * unverified target's score was never checked by a second look, so nothing in it spares the visit.
 */
export function owesGroundAnswer(t: Pick<Target, 'origin' | 'scoreMax'>, policy: Pick<Policy, 'reviewThreshold'>): boolean {
  return t.origin === 'ground' || t.scoreMax >= policy.reviewThreshold;
}

/** Whose dismissal a target's standing status is: a person's at the desk, or an adopted adapted verifier's. */
export type DismissalKind = 'desk' | 'model';
const STATUS_OF: Record<DismissalKind, Target['status']> = { desk: 'dismissed_desk', model: 'dismissed_model' };

/** The season's terms for one kind of dismissal. */
export const dismissalPolicy = (p: Policy, kind: DismissalKind): DeskDismissalPolicy => (kind === 'desk' ? p.deskDismissal : modelDismissalPolicy(p));

/** The kind of a dismissal record (records from before model dismissals have no kind: a person's). */
const kindOf = (t: Target): DismissalKind => (t.desk?.kind === 'model' ? 'model' : 'desk');

/**
 * Why one desk (or model) dismissal does not stand in for a ground visit under the season's policy (null: it does,
 * or the target is not a standing dismissal). Desk dismissals answer to policy.desk_dismissal, model dismissals to
 * policy.model_dismissal (not allowed unless the season says so).
 */
export function deskDismissalFault(t: Target, policy: Policy): string | null {
  const kind = t.status === 'dismissed_desk' ? 'desk' : t.status === 'dismissed_model' ? 'model' : null;
  if (!kind) return null;
  const owedVisit = owesGroundAnswer(t, policy);
  const d = dismissalPolicy(policy, kind);
  if (kind === 'model') {
    if (owedVisit && !d.allowed) return '本季政策不认可模型排除 this season does not accept dismissals by an adapted verifier (policy.model_dismissal)';
    if (owedVisit && t.origin === 'ground') return '地面发现不能由模型排除 a ground finding cannot be dismissed by a model';
    if (owedVisit && t.scoreMax > d.maxScore) return `得分 ${t.scoreMax.toFixed(2)} 高于模型排除上限 score above the model-dismissal limit ${d.maxScore}`;
    if (t.groundAudit) return '抽中地面复核，须实地核查 drawn for a ground audit: inspect it on the ground';
    return null;
  }
  if (owedVisit && !d.allowed) return '本季政策不认可案头排除 this season does not accept desk dismissals';
  if (owedVisit && t.origin === 'ground') return '地面发现不能案头排除 a ground finding cannot be dismissed at the desk';
  if (owedVisit && t.scoreMax > d.maxScore) return `得分 ${t.scoreMax.toFixed(2)} 高于案头排除上限 score above the desk limit ${d.maxScore}`;
  if (t.groundAudit) return '抽中地面复核，须实地核查 drawn for a ground audit: inspect it on the ground';
  return null;
}

/** Targets that were dismissed at the desk (by a person; `kind` 'model': by an adopted verifier) and not reopened since (whatever the ground said later). */
export const deskDismissed = (targets: Target[], kind: DismissalKind = 'desk'): Target[] =>
  targets.filter((t) => t.desk && !t.desk.reopened && kindOf(t) === kind);

/** How many of a zone's desk (or model) dismissals must be in the ground-audit sample, and how many are. */
export function auditSampleState(targets: Target[], policy: Policy, kind: DismissalKind = 'desk'): { dismissals: number; required: number; drawn: number } {
  const pool = deskDismissed(targets, kind);
  return { dismissals: pool.length, required: auditSampleSize(pool.length, dismissalPolicy(policy, kind)), drawn: pool.filter((t) => t.groundAudit).length };
}

/** The standing status of a kind of dismissal. */
export const dismissalStatus = (kind: DismissalKind): Target['status'] => STATUS_OF[kind];

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
  /** Targets an adopted adapted verifier dismissed (status dismissed_model), by model version; absent when none. */
  modelDismissed?: { count: number; byModel: { model: string; count: number }[]; audited: number };
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
    ...modelSummary(targets),
  };
}

/** Model dismissals for the certificate, only where there are any (certificates without keep their form). */
function modelSummary(targets: Target[]): Pick<DeskSummary, 'modelDismissed'> {
  const standing = targets.filter((t) => t.status === 'dismissed_model');
  const pool = deskDismissed(targets, 'model');
  if (!standing.length && !pool.length) return {};
  const by = new Map<string, number>();
  for (const t of standing) for (const m of t.desk?.modelVersions ?? ['?']) by.set(m, (by.get(m) ?? 0) + 1);
  return {
    modelDismissed: {
      count: standing.length,
      byModel: [...by].map(([model, count]) => ({ model, count })).sort((a, b) => b.count - a.count || a.model.localeCompare(b.model)),
      audited: pool.filter((t) => t.groundAudit).length,
    },
  };
}

/** A failing target as a rule lists it. */
export const deskFeature = (t: Target, why: string): Feature<Polygonal, Record<string, unknown>> =>
  ruleFeature(t, why, { desk_by: t.desk?.by ?? null, ground_audit: t.groundAudit === true });
