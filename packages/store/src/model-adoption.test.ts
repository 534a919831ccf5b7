import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Workspace } from './workspace';
import { importZones } from './import-zones';
import { setSeason } from './set-season';
import { importScanDir } from './import-scan-dir';
import { listTargets } from './targets';
import { adoptModel, adoptedModel, restoreModel, verifiedCandidates } from './model-adoption';
import { readAuditLog, verifyAudit } from './verify-audit';
import { SEASON, VILLAGES, rect, tmp, writeScanDir } from './test-world.test-util';

async function world() {
  const dir = tmp();
  const ws = Workspace.create(join(dir, 'ws.gpkg'));
  importZones(ws, VILLAGES, { level: 'village' }, 'lead');
  setSeason(ws, SEASON, 'lead');
  const cands = [0, 1, 2].map((i) => ({ id: `c${i}`, image: 'a.tif', poly: rect(100.001 + i * 0.003, 25.002, 100.0013 + i * 0.003, 25.0023), score: 0.8, verify: [0.99, 0.985, 0.995][i] }));
  await importScanDir(ws, writeScanDir(join(dir, 's'), [{ image: 'a.tif', poly: rect(99.99, 24.99, 100.03, 25.02) }], cands), 'op');
  return ws;
}

const ADAPTED = { dir: '/models/poppy-synth-adapted-1', name: 'poppy-synth-adapted-1', version: '1.0.0-adapted.1', threshold: 0.98 };

describe('adopting an adapted verifier without rescanning', () => {
  it('stores the new scores on candidates and targets, counts those below its threshold, audits, and restores the previous scores', async () => {
    const ws = await world();
    const cands = verifiedCandidates(ws);
    expect(cands.map((c) => c.score_verify)).toEqual([0.99, 0.985, 0.995]);
    expect(adoptedModel(ws)).toBeNull();
    const ids = cands.map((c) => c.candidate_id);
    const r = adoptModel(ws, ADAPTED, new Map([[ids[0], 0.2], [ids[1], 0.5], [ids[2], 0.999]]), 'mgr-zhao');
    expect(r).toEqual({ rescored: 3, below_threshold: 2 });
    expect(verifiedCandidates(ws).map((c) => c.score_verify)).toEqual([0.2, 0.5, 0.999]);
    expect(listTargets(ws).map((t) => t.scoreVerify).sort()).toEqual([0.2, 0.5, 0.999]);
    expect(adoptedModel(ws)).toEqual(ADAPTED);

    const back = restoreModel(ws, 'mgr-zhao');
    expect(back).toMatchObject({ restored: ADAPTED, now: null, candidates: 3 });
    expect(verifiedCandidates(ws).map((c) => c.score_verify)).toEqual([0.99, 0.985, 0.995]);
    expect(listTargets(ws).map((t) => t.scoreVerify).sort()).toEqual([0.985, 0.99, 0.995]);
    expect(adoptedModel(ws)).toBeNull();
    expect(() => restoreModel(ws, 'mgr-zhao')).toThrow(/no adopted model version to restore/);
    expect(readAuditLog(ws).filter((e) => e.action.startsWith('model.')).map((e) => [e.action, e.actor, e.subject])).toEqual([
      ['model.adopt', 'mgr-zhao', 'poppy-synth-adapted-1@1.0.0-adapted.1'],
      ['model.restore', 'mgr-zhao', 'poppy-synth-adapted-1@1.0.0-adapted.1'],
    ]);
    expect(verifyAudit(ws).ok).toBe(true);
  });

  it('changes nothing when a score names an unknown candidate', async () => {
    const ws = await world();
    expect(() => adoptModel(ws, ADAPTED, new Map([[verifiedCandidates(ws)[0].candidate_id, 0.1], ['nope', 0.1]]), 'mgr')).toThrow(/no candidate 'nope'/);
    expect(verifiedCandidates(ws).map((c) => c.score_verify)).toEqual([0.99, 0.985, 0.995]);
    expect(adoptedModel(ws)).toBeNull();
  });
});
