import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chainAuditEntry, verifyAuditChain, type AuditEntry } from './audit-chain';

function buildLog(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      chainAuditEntry(out[i - 1] ?? null, {
        at: `2026-04-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
        actor: i % 2 ? '张三' : 'lead',
        action: 'target.status',
        subject: 'T' + (i % 5),
        payload: { i, to: 'confirmed' },
      }),
    );
  }
  return out;
}

describe('audit chain', () => {
  it('verifies an untouched log', () => {
    const log = buildLog(20);
    const v = verifyAuditChain(log, { count: 20, hash: log[19].hash });
    expect(v).toEqual({ ok: true, count: 20, headHash: log[19].hash });
  });

  it('detects every single-entry tampering in a random log and names the first bad entry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.nat(),
        fc.constantFrom('edit-actor', 'edit-payload', 'edit-at', 'delete', 'swap', 'insert', 'duplicate', 'truncate'),
        (n, k0, kind) => {
          const log = buildLog(n);
          const head = { count: n, hash: log[n - 1].hash };
          const k = k0 % n;
          const t = log.map((e) => ({ ...e }));
          let expectIndex = k;
          switch (kind) {
            case 'edit-actor':
              t[k].actor = 'mallory';
              break;
            case 'edit-payload':
              t[k].payload = { i: -1 };
              break;
            case 'edit-at':
              t[k].at = '2020-01-01T00:00:00Z';
              break;
            case 'delete':
              t.splice(k, 1);
              if (k === n - 1) expectIndex = n - 2;
              break;
            case 'swap': {
              const j = k === n - 1 ? k - 1 : k;
              [t[j], t[j + 1]] = [t[j + 1], t[j]];
              expectIndex = j;
              break;
            }
            case 'insert':
              t.splice(k, 0, chainAuditEntry(k ? log[k - 1] : null, { at: 'x', actor: 'm', action: 'a', subject: 's', payload: null }));
              expectIndex = k === n ? k : k + 1;
              break;
            case 'duplicate':
              t.splice(k + 1, 0, { ...log[k] });
              expectIndex = k + 1;
              break;
            case 'truncate':
              t.length = k;
              expectIndex = Math.max(0, k - 1);
              break;
          }
          const v = verifyAuditChain(t, head);
          expect(v.ok).toBe(false);
          if (!v.ok) expect(v.index).toBe(expectIndex);
        },
      ),
      { numRuns: 400 },
    );
  });
});
