import { dbOf } from './workspace';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Workspace } from './workspace';
import { importZones } from './import-zones';
import { importScanDir } from './import-scan-dir';
import { listTargets } from './targets';
import { adoptModel, adoptedModel, restoreModel, verifiedCandidates } from './model-adoption';
import { readAuditLog, verifyAudit } from './verify-audit';
import { ADAPTED_MODEL, VILLAGES, rect, threeVerifiedPlotsWorld, tmp, writeScanDir } from './test-world.test-util';

const world = threeVerifiedPlotsWorld;
const ADAPTED = ADAPTED_MODEL;

describe('adopting an adapted verifier without rescanning', () => {
  it('stores the new scores on candidates and targets, counts those below its threshold, audits, and restores the previous scores', async () => {
    const ws = await world();
    const cands = verifiedCandidates(ws);
    expect(cands.map((c) => c.score_verify)).toEqual([0.99, 0.985, 0.995]);
    expect(adoptedModel(ws)).toBeNull();
    const ids = cands.map((c) => c.candidate_id);
    const r = adoptModel(
      ws,
      ADAPTED,
      new Map([
        [ids[0], 0.2],
        [ids[1], 0.5],
        [ids[2], 0.999],
      ]),
      'mgr-zhao',
    );
    expect(r).toEqual({ rescored: 3, below_threshold: 2, dismissed: 2, undone: 0 });
    expect(verifiedCandidates(ws).map((c) => c.score_verify)).toEqual([0.2, 0.5, 0.999]);
    expect(
      listTargets(ws)
        .map((t) => t.scoreVerify)
        .sort(),
    ).toEqual([0.2, 0.5, 0.999]);
    expect(adoptedModel(ws)).toEqual(ADAPTED);

    const back = restoreModel(ws, 'mgr-zhao');
    expect(back).toMatchObject({ restored: ADAPTED, now: null, candidates: 3 });
    expect(verifiedCandidates(ws).map((c) => c.score_verify)).toEqual([0.99, 0.985, 0.995]);
    expect(
      listTargets(ws)
        .map((t) => t.scoreVerify)
        .sort(),
    ).toEqual([0.985, 0.99, 0.995]);
    expect(adoptedModel(ws)).toBeNull();
    expect(() => restoreModel(ws, 'mgr-zhao')).toThrow(/no adopted model version to restore/);
    expect(
      readAuditLog(ws)
        .filter((e) => e.action.startsWith('model.'))
        .map((e) => [e.action, e.actor, e.subject]),
    ).toEqual([
      ['model.adopt', 'mgr-zhao', 'poppy-synth-adapted-1@1.0.0-adapted.1'],
      ['model.restore', 'mgr-zhao', 'poppy-synth-adapted-1@1.0.0-adapted.1'],
    ]);
    expect(verifyAudit(ws).ok).toBe(true);
  });

  it("keeps the scan's calibrated probability (p_poppy) on candidates and targets, drops it for an adapted verifier's scores and restores it", async () => {
    const dir = tmp();
    const ws = Workspace.create(join(dir, 'ws.gpkg'));
    importZones(ws, VILLAGES, { level: 'village' }, 'lead');
    // Two images see the first plot: its target takes the better calibrated probability; the second plot has none.
    const cands = [
      { id: 'c0', image: 'a.tif', poly: rect(100.001, 25.002, 100.0013, 25.0023), score: 0.8, verify: 0.9986, pPoppy: 0.889 },
      { id: 'c0', image: 'b.tif', poly: rect(100.0011, 25.002, 100.0014, 25.0023), score: 0.7, verify: 0.97, pPoppy: 0.8 },
      { id: 'c1', image: 'a.tif', poly: rect(100.007, 25.002, 100.0073, 25.0023), score: 0.8, verify: 0.95 },
    ];
    const foot = rect(99.99, 24.99, 100.03, 25.02);
    await importScanDir(
      ws,
      writeScanDir(
        join(dir, 's'),
        [
          { image: 'a.tif', poly: foot },
          { image: 'b.tif', poly: foot },
        ],
        cands,
      ),
      'op',
    );
    const byVerify = () => Object.fromEntries(listTargets(ws).map((t) => [t.scoreVerify, t.pPoppy ?? null]));
    expect(byVerify()).toEqual({ 0.9986: 0.889, 0.95: null });
    const pOf = () =>
      dbOf(ws)
        .prepare('SELECT p_poppy FROM candidates ORDER BY candidate_id')
        .all()
        .map((r) => (r as { p_poppy: number | null }).p_poppy);
    expect(pOf()).toEqual([0.889, null, 0.8]); // a.tif/c0, a.tif/c1, b.tif/c0
    const ids = verifiedCandidates(ws).map((c) => c.candidate_id);
    adoptModel(ws, ADAPTED, new Map(ids.map((id) => [id, 0.5])), 'mgr');
    expect(pOf()).toEqual([null, null, null]);
    expect(listTargets(ws).map((t) => t.pPoppy ?? null)).toEqual([null, null]);
    restoreModel(ws, 'mgr');
    expect(pOf()).toEqual([0.889, null, 0.8]); // a.tif/c0, a.tif/c1, b.tif/c0
    expect(byVerify()).toEqual({ 0.9986: 0.889, 0.95: null });
  });

  it('changes nothing when a score names an unknown candidate', async () => {
    const ws = await world();
    expect(() =>
      adoptModel(
        ws,
        ADAPTED,
        new Map([
          [verifiedCandidates(ws)[0].candidate_id, 0.1],
          ['nope', 0.1],
        ]),
        'mgr',
      ),
    ).toThrow(/no candidate 'nope'/);
    expect(verifiedCandidates(ws).map((c) => c.score_verify)).toEqual([0.99, 0.985, 0.995]);
    expect(adoptedModel(ws)).toBeNull();
  });
});
