import { markPlanned, setStatusByDecision, GeoError, type Target, type TargetStatus } from '@tiandi/geo';
import { StoreError } from './errors';
import { readTarget, readTargets, readZone, writeTarget } from './rows';
import { targetsInZone } from './certify-zone';
import { markStaleCertificates } from './mark-stale';
import type { Workspace } from './workspace';

/** Targets, optionally only those in a zone, with a status, or under review. */
export function listTargets(ws: Workspace, filter: { zoneId?: string; status?: TargetStatus; review?: boolean } = {}): Target[] {
  const all = filter.zoneId ? targetsInZone(ws, readZone(ws, filter.zoneId).geometry) : readTargets(ws);
  return all.filter((t) => (!filter.status || t.status === filter.status) && (filter.review === undefined || (t.review !== null) === filter.review));
}

/** A person's decision on a target (e.g. resolving a contradiction): any status, with a reason; audited. */
export function setTargetStatus(ws: Workspace, args: { targetId: string; status: TargetStatus; reason: string }, actor: string): Target {
  return ws.write(actor, (audit) => {
    const t = readTarget(ws, args.targetId);
    let change;
    try {
      change = setStatusByDecision(t, args.status, args.reason);
    } catch (e) {
      if (e instanceof GeoError) throw new StoreError('TIANDI_E_INPUT', e.message, undefined, e.field);
      throw e;
    }
    writeTarget(ws, change.target);
    audit('target.decision', t.id, { from: change.from, to: change.to, reason: args.reason, cleared_review: t.review });
    markStaleCertificates(ws, [t.geometry], `目标 ${t.id} 状态被人工更改 target status changed by decision`, audit);
    return change.target;
  });
}

/** Marks targets planned for a ground visit (detected or needs_revisit → planned); audited. */
export function markTargetsPlanned(ws: Workspace, targetIds: string[], actor: string, audit?: (a: string, s: string, p?: unknown) => unknown): string[] {
  const run = (au: (a: string, s: string, p?: unknown) => unknown) => {
    const changed: string[] = [];
    for (const id of targetIds) {
      const c = markPlanned(readTarget(ws, id));
      if (c.from === c.to) continue;
      writeTarget(ws, c.target);
      au('target.status', id, { from: c.from, to: c.to });
      changed.push(id);
    }
    return changed;
  };
  return audit ? run(audit) : ws.write(actor, run);
}
