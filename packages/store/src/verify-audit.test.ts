import { dbOf } from './workspace';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Workspace } from './workspace';
import { verifyAudit } from './verify-audit';

/** A workspace (in memory) with `n` audited writes. */
function logged(n: number): Workspace {
  const ws = Workspace.create(':memory:');
  for (let i = 0; i < n; i++) ws.write(i % 3 ? 'field:A' : 'manager', (audit) => audit('target.status', `T${i % 4}`, { i, to: 'confirmed' }));
  return ws;
}

const COLS = ['at', 'actor', 'action', 'subject', 'payload_json', 'prev_hash', 'hash'] as const;

describe('verifyAudit on a stored log', () => {
  it('names the first bad entry for any single edited, deleted or swapped row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 25 }), fc.nat(), fc.constantFrom('edit', 'delete', 'swap'), fc.constantFrom(...COLS), (n, k0, kind, col) => {
        const ws = logged(n);
        try {
          const k = (k0 % n) + 1; // seq of the entry tampered with
          if (kind === 'edit') {
            const v = col === 'payload_json' ? '{"i":-1}' : col.endsWith('hash') ? 'f'.repeat(64) : 'tampered';
            dbOf(ws).prepare(`UPDATE audit_log SET ${col} = ? WHERE seq = ?`).run(v, k);
          } else if (kind === 'delete') {
            dbOf(ws).prepare('DELETE FROM audit_log WHERE seq = ?').run(k);
          } else {
            const j = k === n ? k - 1 : k; // swap the contents of rows j and j + 1 (fid order stays)
            const a = dbOf(ws).prepare('SELECT * FROM audit_log WHERE seq = ?').get(j) as Record<string, unknown>;
            const b = dbOf(ws)
              .prepare('SELECT * FROM audit_log WHERE seq = ?')
              .get(j + 1) as Record<string, unknown>;
            const set = dbOf(ws).prepare(
              `UPDATE audit_log SET seq = ?, at = ?, actor = ?, action = ?, subject = ?, payload_json = ?, prev_hash = ?, hash = ? WHERE fid = ?`,
            );
            dbOf(ws).prepare('UPDATE audit_log SET seq = -seq WHERE fid IN (?, ?)').run(a.fid, b.fid);
            set.run(b.seq, b.at, b.actor, b.action, b.subject, b.payload_json, b.prev_hash, b.hash, a.fid);
            set.run(a.seq, a.at, a.actor, a.action, a.subject, a.payload_json, a.prev_hash, a.hash, b.fid);
          }
          const v = verifyAudit(ws);
          expect(v.ok).toBe(false);
          if (!v.ok) {
            const expected = kind === 'swap' ? (k === n ? k - 2 : k - 1) : kind === 'delete' && k === n ? n - 2 : k - 1;
            expect(v.index).toBe(expected);
          }
        } finally {
          ws.close();
        }
      }),
      { numRuns: 120 },
    );
  });

  it('passes an untouched log', () => {
    const ws = logged(10);
    expect(verifyAudit(ws)).toMatchObject({ ok: true, count: 10 });
    ws.close();
  });
});
