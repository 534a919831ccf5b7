import { dismissByModel, undoModelDismissal, type Season, type Target } from '@tiandi/geo';
import { drawGroundAuditSample, zonesTouching } from './ground-audit-sample';
import { markStaleCertificates } from './mark-stale';
import { readTargets, writeTarget } from './rows';
import { dbOf, type Workspace } from './workspace';

type Audit = (action: string, subject: string, payload?: unknown) => unknown;

/** The verifier in force, as model dismissals name it. */
export interface ModelInForce {
  name: string;
  version: string;
  threshold: number;
}

/** `<name>@<version>`: what a model dismissal's `by` carries after `model:`. */
export const modelKey = (m: Pick<ModelInForce, 'name' | 'version'>): string => `${m.name}@${m.version}`;

/**
 * Whether the adopted verifier dismisses a target: a scan target still `detected`, every candidate judged by a second
 * stage, its best verifier score below the adopted threshold, no person's desk decision on it (a reviewer's "poppy-like"
 * overrides the model), not under review and never reopened.
 */
function dismissible(t: Target, m: ModelInForce, poppyLike: Set<string>): boolean {
  return (
    t.status === 'detected' &&
    t.origin === 'scan' &&
    !t.unverified &&
    !t.review &&
    !t.desk?.reopened &&
    !poppyLike.has(t.id) &&
    typeof t.scoreVerify === 'number' &&
    t.scoreVerify < m.threshold
  );
}

/**
 * Brings targets' model dismissals in line with the verifier now in force (after `model adopt` or `model restore`),
 * inside the caller's write: a dismissal by another version, or one whose target now scores at or above the
 * threshold, goes back to `detected`; a dismissible target (see {@link dismissible}) becomes `dismissed_model`, its
 * decision naming the version, score and threshold. Each change is audited; certificates touching a changed target go
 * stale; where the season accepts model dismissals, the zones' ground-audit sample of them is topped up.
 * `model` null: the scans' own scores are back, and every model dismissal is undone.
 */
export function applyModelDismissals(
  ws: Workspace,
  model: ModelInForce | null,
  season: Season | null,
  audit: Audit,
): { dismissed: string[]; undone: string[] } {
  const poppyLike = new Set(
    (dbOf(ws).prepare(`SELECT target_id FROM triage_decisions WHERE decision = 'poppy_like'`).all() as { target_id: string }[]).map((r) => r.target_id),
  );
  const by = model ? `model:${modelKey(model)}` : null;
  const dismissed: Target[] = [],
    undone: Target[] = [];
  for (const t of readTargets(ws)) {
    if (t.status === 'dismissed_model' && (!model || t.desk?.by !== by || !(typeof t.scoreVerify === 'number' && t.scoreVerify < model.threshold))) {
      const c = undoModelDismissal(t);
      writeTarget(ws, c.target);
      audit('target.model_undo', t.id, { from: c.from, to: c.to, was: t.desk?.by ?? null, now: by ?? 'scan scores', score_verify: t.scoreVerify ?? null });
      undone.push(c.target);
    }
  }
  if (model) {
    for (const t of readTargets(ws)) {
      if (!dismissible(t, model, poppyLike)) continue;
      const c = dismissByModel(t, {
        model: modelKey(model),
        at: ws.now(),
        seasonId: season?.id ?? null,
        scoreVerify: t.scoreVerify!,
        threshold: model.threshold,
      });
      writeTarget(ws, c.target);
      audit('target.model_dismiss', t.id, {
        from: c.from,
        to: c.to,
        by: c.target.desk!.by,
        score_verify: t.scoreVerify,
        threshold: model.threshold,
        score_max: t.scoreMax,
        season_id: season?.id ?? null,
      });
      dismissed.push(c.target);
    }
  }
  const changed = [...dismissed, ...undone];
  if (changed.length)
    markStaleCertificates(
      ws,
      changed.map((t) => t.geometry),
      '采用/恢复模型版本改变了模型排除 adopting or restoring a verifier changed its dismissals',
      audit,
    );
  if (season && dismissed.length)
    drawGroundAuditSample(
      ws,
      season,
      zonesTouching(
        ws,
        dismissed.map((t) => t.id),
      ),
      audit,
      'model',
    );
  return { dismissed: dismissed.map((t) => t.id), undone: undone.map((t) => t.id) };
}
