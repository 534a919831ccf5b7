import { dbOf, type Workspace } from './workspace';

/** How long a reviewer holds the targets handed to them, unless they decide or skip first. */
export const TRIAGE_LEASE_MS = 120_000;

/**
 * Who else holds a triage target now (a live lease of another reviewer), or null. Leases live in the workspace
 * (table triage_leases), so a server restart hands no target to two reviewers.
 */
export function triageLeaseHolder(ws: Workspace, targetId: string, actor: string, nowMs: number): string | null {
  const r = dbOf(ws).prepare('SELECT actor, until_ms FROM triage_leases WHERE target_id = ?').get(targetId) as { actor: string; until_ms: number } | undefined;
  return r && r.until_ms > nowMs && r.actor !== actor ? r.actor : null;
}

/** Every live lease held by someone other than `actor`: target id → holder. */
export function triageLeasesOfOthers(ws: Workspace, actor: string, nowMs: number): Map<string, string> {
  const rows = dbOf(ws).prepare('SELECT target_id, actor FROM triage_leases WHERE until_ms > ? AND actor <> ?').all(nowMs, actor) as {
    target_id: string;
    actor: string;
  }[];
  return new Map(rows.map((r) => [r.target_id, r.actor]));
}

/**
 * Leases (or renews) targets to `actor` in one transaction, skipping those another reviewer holds; returns the ids
 * it got. Expired leases are dropped first. Leases are not evidence and are not audited; decisions and skips are.
 */
export function claimTriageTargets(ws: Workspace, targetIds: string[], actor: string, nowMs: number, leaseMs = TRIAGE_LEASE_MS): string[] {
  const db = dbOf(ws);
  return db
    .transaction(() => {
      db.prepare('DELETE FROM triage_leases WHERE until_ms <= ?').run(nowMs);
      const held = db.prepare('SELECT actor FROM triage_leases WHERE target_id = ?');
      const upsert = db.prepare(
        'INSERT INTO triage_leases (target_id, actor, until_ms) VALUES (?, ?, ?) ON CONFLICT(target_id) DO UPDATE SET actor = excluded.actor, until_ms = excluded.until_ms',
      );
      const got: string[] = [];
      for (const id of targetIds) {
        const h = held.get(id) as { actor: string } | undefined;
        if (h && h.actor !== actor) continue;
        upsert.run(id, actor, nowMs + leaseMs);
        got.push(id);
      }
      return got;
    })
    .immediate();
}

/** Gives a target back (only the holder's own lease). */
export function releaseTriageTarget(ws: Workspace, targetId: string, actor: string): void {
  dbOf(ws).prepare('DELETE FROM triage_leases WHERE target_id = ? AND actor = ?').run(targetId, actor);
}
