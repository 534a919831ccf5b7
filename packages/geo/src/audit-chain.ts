import { canonicalJson } from './canonical-json';
import { sha256Hex } from './sha256-hex';

/** The hash a chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records: who did what to which thing, with details. */
export interface AuditEvent {
  /** ISO 8601 time. */
  at: string;
  actor: string;
  action: string;
  subject: string;
  payload: unknown;
}

/** One entry of the hash chain: the event, its position, the previous entry's hash and its own hash. */
export interface AuditEntry extends AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The hash of an entry: sha256 over the canonical JSON of everything but `hash`. */
export function auditEntryHash(e: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(
    canonicalJson({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, payload: e.payload ?? null, prevHash: e.prevHash }),
  );
}

/** The entry that follows `prev` (or starts the chain when `prev` is null). */
export function chainAuditEntry(prev: Pick<AuditEntry, 'seq' | 'hash'> | null, event: AuditEvent): AuditEntry {
  const base = { ...event, payload: event.payload ?? null, seq: prev ? prev.seq + 1 : 1, prevHash: prev ? prev.hash : GENESIS_HASH };
  return { ...base, hash: auditEntryHash(base) };
}

export type AuditVerdict = { ok: true; count: number; headHash: string } | { ok: false; count: number; index: number; seq: number | null; reason: string };

/**
 * Verifies a chain in stored order. Names the first bad entry (0-based `index` and its stored `seq`):
 * an edited entry fails its own hash; a deleted, inserted or reordered entry breaks the sequence or the
 * link to its predecessor. With `head` (the count and last hash kept apart from the log) a truncated
 * tail is detected too.
 */
export function verifyAuditChain(entries: AuditEntry[], head?: { count: number; hash: string }): AuditVerdict {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const bad = (reason: string): AuditVerdict => ({ ok: false, count: entries.length, index: i, seq: typeof e.seq === 'number' ? e.seq : null, reason });
    if (e.seq !== i + 1) return bad(`序号应为 ${i + 1}，实为 ${e.seq} — expected seq ${i + 1}, found ${e.seq} (entry deleted, inserted or moved)`);
    if (e.prevHash !== prevHash) return bad('与前一条记录的链接断开 link to the previous entry is broken (an entry before it was changed, deleted or moved)');
    if (auditEntryHash(e) !== e.hash) return bad('记录内容与哈希不符 entry content does not match its hash (edited)');
    prevHash = e.hash;
  }
  if (head && (head.count !== entries.length || head.hash !== prevHash)) {
    const i = Math.min(entries.length, head.count) - 1;
    return {
      ok: false,
      count: entries.length,
      index: Math.max(0, i),
      seq: entries[i]?.seq ?? null,
      reason: `日志末尾被截断或替换 log tail truncated or replaced: head says ${head.count} entries, found ${entries.length}`,
    };
  }
  return { ok: true, count: entries.length, headHash: prevHash };
}
