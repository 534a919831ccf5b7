import { dismissAtDesk, GeoError, reopenDeskDismissal, type Target } from '@tiandi/geo';
import { StoreError } from './errors';
import { drawGroundAuditSample, zonesTouching } from './ground-audit-sample';
import { markStaleCertificates } from './mark-stale';
import { readSeason, readTarget, readTargets, writeTarget } from './rows';
import { dbOf, type Workspace } from './workspace';

type Audit = (action: string, subject: string, payload?: unknown) => unknown;

/** `<model>@<version>` of the candidates behind a target (what the reviewer was shown). */
export function modelVersionsOf(ws: Workspace, targetId: string): string[] {
  return (
    dbOf(ws).prepare(`SELECT DISTINCT model, model_version FROM candidates WHERE target_id = ? ORDER BY model, model_version`).all(targetId) as {
      model: string | null;
      model_version: string | null;
    }[]
  ).map((r) => `${r.model ?? '?'}@${r.model_version ?? '?'}`);
}

/**
 * An office reviewer dismisses a target from the imagery (status `dismissed_desk`, never `inspected_negative`):
 * the decision keeps who, when, why, the season and the model versions; audited; issued certificates of its
 * zones go stale; and where the season accepts desk dismissals, the zones' ground-audit sample is topped up.
 */
export function dismissTargetAtDesk(ws: Workspace, args: { targetId: string; reason: string; seasonId?: string }, actor: string): Target {
  return ws.write(actor, (audit) => {
    const t = readTarget(ws, args.targetId);
    const season = readSeason(ws, args.seasonId);
    let change;
    try {
      change = dismissAtDesk(t, { by: actor, at: ws.now(), reason: args.reason, seasonId: season.id, modelVersions: modelVersionsOf(ws, t.id) });
    } catch (e) {
      if (e instanceof GeoError) throw new StoreError('TIANDI_E_CONFLICT', e.message, undefined, e.field);
      throw e;
    }
    writeTarget(ws, change.target);
    audit('target.desk_dismiss', t.id, {
      from: change.from,
      to: change.to,
      reason: args.reason,
      season_id: season.id,
      model_versions: change.target.desk!.modelVersions,
      score_max: t.scoreMax,
    });
    markStaleCertificates(ws, [t.geometry], `目标 ${t.id} 案头排除 target dismissed at the desk`, audit);
    if (season.policy.deskDismissal.allowed) drawGroundAuditSample(ws, season, zonesTouching(ws, [t.id]), audit);
    return readTarget(ws, t.id);
  });
}

/** Undoes a desk dismissal (the reviewer changed their mind): back to detected, the decision dropped; audited. */
export function undoDeskDismissal(ws: Workspace, args: { targetId: string; reason: string }, actor: string): Target {
  return ws.write(actor, (audit) => {
    const t = readTarget(ws, args.targetId);
    if (t.status !== 'dismissed_desk')
      throw new StoreError(
        'TIANDI_E_CONFLICT',
        `目标 ${t.id} 状态为 ${t.status}，不是案头排除 is ${t.status}, not a desk dismissal: nothing to undo`,
        undefined,
        'status',
      );
    const back: Target = { ...t, status: 'detected', desk: null };
    writeTarget(ws, back);
    audit('target.desk_undo', t.id, { from: t.status, to: 'detected', reason: args.reason, undone: t.desk, ground_audit: t.groundAudit === true });
    markStaleCertificates(ws, [t.geometry], `目标 ${t.id} 撤销案头排除 desk dismissal undone`, audit);
    return back;
  });
}

/**
 * A desk dismissal the ground found to be poppy: every standing desk dismissal by the same reviewer in the
 * same season is reopened (back to detected, to be visited), inside the caller's write; audited; the
 * certificates of their zones go stale. Returns the reopened targets.
 */
export function reopenReviewerDismissals(ws: Workspace, found: Target, reportId: string, audit: Audit): Target[] {
  const desk = found.desk;
  if (!desk || desk.reopened) return [];
  // A model dismissal found poppy reopens every dismissal by that model version, as a reviewer's does theirs.
  const status = desk.kind === 'model' ? 'dismissed_model' : 'dismissed_desk';
  const because =
    desk.kind === 'model'
      ? `目标 ${found.id} 经地面报告 ${reportId} 确认为罂粟，该模型版本的排除全部重开 target ${found.id}, dismissed by the adapted verifier ${desk.by}, was found poppy on the ground (report ${reportId}): every dismissal by ${desk.by} in season ${desk.seasonId ?? '?'} reopened`
      : `目标 ${found.id} 经地面报告 ${reportId} 确认为罂粟，该审核员案头排除全部重开 target ${found.id}, dismissed at the desk by ${desk.by}, was found poppy on the ground (report ${reportId}): every desk dismissal by ${desk.by} in season ${desk.seasonId ?? '?'} reopened`;
  const reopened: Target[] = [];
  for (const t of readTargets(ws)) {
    if (t.status !== status || t.desk?.by !== desk.by || t.desk.seasonId !== desk.seasonId) continue;
    const c = reopenDeskDismissal(t, ws.now(), because);
    writeTarget(ws, c.target);
    audit('target.reopen', t.id, { from: c.from, to: c.to, reviewer: desk.by, season_id: desk.seasonId, because_target: found.id, report_id: reportId });
    reopened.push(c.target);
  }
  audit('desk.reviewer_reopened', desk.by, { season_id: desk.seasonId, because_target: found.id, report_id: reportId, reopened: reopened.map((t) => t.id) });
  markStaleCertificates(ws, [found.geometry, ...reopened.map((t) => t.geometry)], because, audit);
  return reopened;
}
