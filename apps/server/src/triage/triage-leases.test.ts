import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Workspace } from '@tiandi/store';
import { describe, expect, it } from 'vitest';
import { LEASE_MS, TriageLeases } from './triage-leases';

describe('TriageLeases', () => {
  it('gives a target to one reviewer at a time until they release it or the lease runs out, and outlives a restart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-leases-'));
    const file = path.join(dir, 'w.gpkg');
    let now = 1_000_000;
    let ws = Workspace.create(file);
    try {
      const l = new TriageLeases(
        () => ws,
        () => now,
      );
      expect(l.claim(['a', 'b'], 'li')).toEqual(['a', 'b']);
      expect(l.claim(['b', 'c'], 'wang')).toEqual(['c']);
      expect(l.heldByOther('b', 'wang')).toBe('li');
      expect(l.heldByOther('b', 'li')).toBeNull();
      expect([...l.heldByOthers('wang')]).toEqual([
        ['a', 'li'],
        ['b', 'li'],
      ]);
      l.release('b', 'wang'); // not theirs: nothing happens
      expect(l.heldByOther('b', 'wang')).toBe('li');
      l.release('b', 'li');
      expect(l.claim(['b'], 'wang')).toEqual(['b']);

      // A restart (the workspace closed and opened again, a new lease book): li still holds a, wang b and c.
      ws.close();
      ws = Workspace.open(file);
      const after = new TriageLeases(
        () => ws,
        () => now,
      );
      expect(after.claim(['a', 'b', 'c', 'd'], 'zhao')).toEqual(['d']);
      expect(after.heldByOther('a', 'zhao')).toBe('li');

      now += LEASE_MS + 1;
      expect(after.heldByOther('a', 'wang')).toBeNull();
      expect(after.claim(['a'], 'wang')).toEqual(['a']);
    } finally {
      ws.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
