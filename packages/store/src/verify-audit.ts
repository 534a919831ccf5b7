import { verifyAuditChain, type AuditEntry, type AuditVerdict } from '@tiandi/geo';
import { dbOf, type Workspace } from './workspace';

/** Reads the audit log in stored order. */
export function readAuditLog(ws: Workspace): AuditEntry[] {
  return (
    dbOf(ws).prepare('SELECT seq, at, actor, action, subject, payload_json, prev_hash, hash FROM audit_log ORDER BY fid').all() as {
      seq: number;
      at: string;
      actor: string;
      action: string;
      subject: string;
      payload_json: string;
      prev_hash: string;
      hash: string;
    }[]
  ).map((r) => {
    let payload: unknown;
    try {
      payload = JSON.parse(r.payload_json);
    } catch {
      payload = r.payload_json;
    }
    return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, payload, prevHash: r.prev_hash, hash: r.hash };
  });
}

/**
 * Verifies the workspace's audit chain against its stored head (count and last hash): any edited,
 * deleted, inserted or reordered entry is detected and the first bad one named.
 */
export function verifyAudit(ws: Workspace): AuditVerdict {
  const head = dbOf(ws).prepare(`SELECT value FROM tiandi_meta WHERE key = 'audit_head'`).get() as { value: string } | undefined;
  return verifyAuditChain(readAuditLog(ws), head ? JSON.parse(head.value) : { count: 0, hash: '0'.repeat(64) });
}
