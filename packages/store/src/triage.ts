import type { TriageDecisionView, TriageItemView } from '@tiandi/api';
import { undoModelDismissal, type Target } from '@tiandi/geo';
import { StoreError } from './errors';
import { targetsInZone } from './certify-zone';
import { dismissTargetAtDesk, modelVersionsOf, undoDeskDismissal } from './desk-decisions';
import { readTarget, readTargets, readZone, writeTarget } from './rows';
import { markStaleCertificates } from './mark-stale';
import { dbOf, type Workspace } from './workspace';

/** What a desk reviewer decided on one target in the triage gallery. */
export type TriageVerdict = TriageDecisionView['decision'];

/** Preset reasons for "not poppy" (free text may follow). */
export const NOT_POPPY_REASONS = ['roof', 'tarp', 'rapeseed', 'blossom', 'shadow', 'other'] as const;

/** A reviewer's decision as the workspace keeps it: the API's view of it. */
export type TriageDecision = TriageDecisionView;

/** One target as the triage gallery shows it. */
export interface TriageItem extends TriageItemView {
  status: Target['status'];
}

export interface TriageFilter {
  zoneId?: string;
  imageId?: string;
  minScore?: number;
  maxScore?: number;
  /** `<model>@<version>`. */
  modelVersion?: string;
}

interface DecisionRow {
  target_id: string;
  decision: TriageVerdict;
  reason: string | null;
  note: string | null;
  actor: string;
  model_versions_json: string;
  score_max: number | null;
  decided_at: string;
}
const toDecision = (r: DecisionRow): TriageDecision => ({
  targetId: r.target_id,
  decision: r.decision,
  reason: r.reason,
  note: r.note,
  actor: r.actor,
  modelVersions: JSON.parse(r.model_versions_json),
  scoreMax: r.score_max,
  decidedAt: r.decided_at,
});

/** Statuses a desk review can still change (or has just made). */
const TRIAGEABLE = new Set(['detected', 'planned', 'needs_revisit', 'dismissed_desk', 'dismissed_model']);

/**
 * The scan targets a triage gallery reviews (matching the filter), best score first, each with its desk decision if
 * any, and the progress: how many of them are reviewed.
 */
export function listTriage(ws: Workspace, filter: TriageFilter = {}): { items: TriageItem[]; reviewed: number; total: number } {
  const pool = filter.zoneId ? targetsInZone(ws, readZone(ws, filter.zoneId).geometry) : readTargets(ws);
  const cands = dbOf(ws).prepare('SELECT target_id, image_id, model, model_version FROM candidates WHERE target_id IS NOT NULL').all() as {
    target_id: string;
    image_id: string;
    model: string;
    model_version: string;
  }[];
  const images = new Map<string, Set<string>>(),
    models = new Map<string, Set<string>>();
  for (const c of cands) {
    (images.get(c.target_id) ?? images.set(c.target_id, new Set()).get(c.target_id)!).add(c.image_id);
    (models.get(c.target_id) ?? models.set(c.target_id, new Set()).get(c.target_id)!).add(`${c.model}@${c.model_version}`);
  }
  const decisions = new Map((dbOf(ws).prepare('SELECT * FROM triage_decisions').all() as DecisionRow[]).map((r) => [r.target_id, toDecision(r)]));
  const items: TriageItem[] = [];
  for (const t of pool) {
    const decision = decisions.get(t.id) ?? null;
    if (t.origin !== 'scan' || (!decision && !TRIAGEABLE.has(t.status))) continue;
    const imageIds = [...(images.get(t.id) ?? [])].sort(),
      modelVersions = [...(models.get(t.id) ?? [])].sort();
    if (filter.imageId && !imageIds.includes(filter.imageId)) continue;
    if (filter.modelVersion && !modelVersions.includes(filter.modelVersion)) continue;
    if (filter.minScore !== undefined && t.scoreMax < filter.minScore) continue;
    if (filter.maxScore !== undefined && t.scoreMax > filter.maxScore) continue;
    items.push({
      targetId: t.id,
      status: t.status,
      scoreMax: t.scoreMax,
      scoreVerify: t.scoreVerify ?? null,
      areaM2: t.areaM2,
      imageIds,
      modelVersions,
      decision,
    });
  }
  items.sort((a, b) => b.scoreMax - a.scoreMax || (a.targetId < b.targetId ? -1 : 1));
  return { items, reviewed: items.filter((i) => i.decision).length, total: items.length };
}

/**
 * Records one desk decision on a target (audited with its reviewer): `not_poppy` is a desk dismissal
 * (dismissed_desk, with the reason), `poppy_like` keeps it for a team. A target has at most one: a second
 * decision, by anyone, is refused (TIANDI_E_CONFLICT) until the first is undone.
 */
export function decideTriage(
  ws: Workspace,
  args: { targetId: string; decision: TriageVerdict; reason?: string | null; note?: string | null },
  actor: string,
): TriageDecision {
  return ws.write(actor, (audit) => {
    const t = readTarget(ws, args.targetId);
    const prior = dbOf(ws).prepare('SELECT * FROM triage_decisions WHERE target_id = ?').get(t.id) as DecisionRow | undefined;
    if (prior)
      throw new StoreError(
        'TIANDI_E_CONFLICT',
        `目标 ${t.id} 已由 ${prior.actor} 判读 already decided (${prior.decision}) by ${prior.actor}: undo it first`,
        undefined,
        'target',
      );
    if (!TRIAGEABLE.has(t.status) || t.origin !== 'scan')
      throw new StoreError(
        'TIANDI_E_CONFLICT',
        `目标 ${t.id} 状态为 ${t.status}，不再需要案头判读 is ${t.status}: no desk review to make`,
        undefined,
        'target',
      );
    const reason = args.reason?.trim() || null,
      note = args.note?.trim() || null;
    if (args.decision === 'not_poppy' && !reason && !note)
      throw new StoreError(
        'TIANDI_E_INPUT',
        '"非罂粟"需要理由 not poppy needs a reason (roof, tarp, rapeseed, blossom, shadow) or a note',
        undefined,
        'reason',
      );
    const d: TriageDecision = {
      targetId: t.id,
      decision: args.decision,
      reason,
      note,
      actor,
      modelVersions: modelVersionsOf(ws, t.id),
      scoreMax: t.scoreMax,
      decidedAt: ws.now(),
    };
    dbOf(ws)
      .prepare(
        'INSERT INTO triage_decisions (target_id, decision, reason, note, actor, model_versions_json, score_max, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(d.targetId, d.decision, d.reason, d.note, d.actor, JSON.stringify(d.modelVersions), d.scoreMax, d.decidedAt);
    audit('triage.decide', t.id, { decision: d.decision, reason, note, model_versions: d.modelVersions, score_max: t.scoreMax });
    if (d.decision === 'not_poppy' && t.status !== 'dismissed_desk')
      dismissTargetAtDesk(ws, { targetId: t.id, reason: [reason, note].filter(Boolean).join(': ') }, actor);
    // A person's "poppy-like" overrides the adopted verifier's dismissal: the target is owed a visit again.
    if (d.decision === 'poppy_like' && t.status === 'dismissed_model') {
      writeTarget(ws, undoModelDismissal(t).target);
      audit('target.model_undo', t.id, { from: 'dismissed_model', to: 'detected', was: t.desk?.by ?? null, because: 'triage poppy_like' });
      markStaleCertificates(ws, [t.geometry], `目标 ${t.id} 判为疑似罂粟，撤销模型排除 a reviewer found it poppy-like: model dismissal undone`, audit);
    }
    return d;
  });
}

/** Undoes a desk decision (its reviewer, or a manager with `force`): the row goes, a desk dismissal is undone; audited. */
export function undoTriage(ws: Workspace, args: { targetId: string; force?: boolean }, actor: string): void {
  ws.write(actor, (audit) => {
    const prior = dbOf(ws).prepare('SELECT * FROM triage_decisions WHERE target_id = ?').get(args.targetId) as DecisionRow | undefined;
    if (!prior) throw new StoreError('TIANDI_E_NOT_FOUND', `目标 ${args.targetId} 没有案头判读 has no desk decision to undo`, undefined, 'target');
    if (prior.actor !== actor && !args.force)
      throw new StoreError(
        'TIANDI_E_CONFLICT',
        `判读由 ${prior.actor} 做出 decided by ${prior.actor}: only they (or a manager) can undo it`,
        undefined,
        'target',
      );
    dbOf(ws).prepare('DELETE FROM triage_decisions WHERE target_id = ?').run(args.targetId);
    audit('triage.undo', args.targetId, { undone: toDecision(prior) });
    if (prior.decision === 'not_poppy' && readTarget(ws, args.targetId).status === 'dismissed_desk')
      undoDeskDismissal(ws, { targetId: args.targetId, reason: 'triage undo' }, actor);
  });
}

/**
 * A reviewer passes over a target without deciding: nothing about the target changes, but the skip is audited with
 * its reviewer (who looked at what, and left it, is on record). The target must exist.
 */
export function skipTriage(ws: Workspace, targetId: string, actor: string): { targetId: string; decision: 'skip' } {
  return ws.write(actor, (audit) => {
    const t = readTarget(ws, targetId);
    audit('triage.skip', t.id, { status: t.status, score_max: t.scoreMax, model_versions: modelVersionsOf(ws, t.id) });
    return { targetId: t.id, decision: 'skip' as const };
  });
}
