import { describe, expect, it } from 'vitest';
import { decideTriage, listTriage, skipTriage, undoTriage } from './triage';
import { readTarget } from './rows';
import { trainingLabels } from './training-labels';
import { readAuditLog, verifyAudit } from './verify-audit';
import { fourCandidateWorld } from './test-world.test-util';

const world = fourCandidateWorld;

describe('desk triage', () => {
  it('lists scan targets best first with filters and progress; one decision per target, audited, undone only by its reviewer', async () => {
    const ws = await world();
    const all = listTriage(ws);
    expect(all.items.map((i) => i.scoreMax)).toEqual([0.9, 0.7, 0.5, 0.3]);
    expect([all.reviewed, all.total]).toEqual([0, 4]);
    expect(listTriage(ws, { imageId: 'b.tif' }).items.map((i) => i.scoreMax)).toEqual([0.9]);
    expect(listTriage(ws, { minScore: 0.4, maxScore: 0.8 }).total).toBe(2);
    expect(listTriage(ws, { zoneId: 'V02' }).total).toBe(1);
    expect(listTriage(ws, { modelVersion: 'poppy-synth@1.0.0' }).total).toBe(4);
    expect(listTriage(ws, { modelVersion: 'poppy-synth@2' }).total).toBe(0);

    const [top, second] = all.items;
    expect(() => decideTriage(ws, { targetId: top.targetId, decision: 'not_poppy' }, 'op-li')).toThrow(/reason/);
    const d = decideTriage(ws, { targetId: top.targetId, decision: 'not_poppy', reason: 'tarp', note: '蓝色篷布 blue tarp' }, 'op-li');
    expect(d).toMatchObject({ decision: 'not_poppy', actor: 'op-li', modelVersions: ['poppy-synth@1.0.0'], scoreMax: 0.9 });
    expect(readTarget(ws, top.targetId)).toMatchObject({ status: 'dismissed_desk', desk: { by: 'op-li', reason: 'tarp: 蓝色篷布 blue tarp' } });
    expect(() => decideTriage(ws, { targetId: top.targetId, decision: 'poppy_like' }, 'op-wang')).toThrow(/already decided .* by op-li/);
    decideTriage(ws, { targetId: second.targetId, decision: 'poppy_like' }, 'op-wang');
    expect(readTarget(ws, second.targetId).status).toBe('detected');
    expect(listTriage(ws)).toMatchObject({ reviewed: 2, total: 4 });

    expect(() => undoTriage(ws, { targetId: top.targetId }, 'op-wang')).toThrow(/decided by op-li/);
    undoTriage(ws, { targetId: top.targetId }, 'op-li');
    expect(readTarget(ws, top.targetId)).toMatchObject({ status: 'detected', desk: null });
    expect(listTriage(ws).reviewed).toBe(1);
    expect(
      readAuditLog(ws)
        .filter((e) => e.action.startsWith('triage.'))
        .map((e) => [e.action, e.actor]),
    ).toEqual([
      ['triage.decide', 'op-li'],
      ['triage.decide', 'op-wang'],
      ['triage.undo', 'op-li'],
    ]);
    expect(verifyAudit(ws).ok).toBe(true);
    // Desk decisions become training labels only when asked, marked as the desk's.
    expect(trainingLabels(ws).features).toEqual([]);
    expect(trainingLabels(ws, { includeDesk: true }).features.map((f) => [f.properties.label, f.properties.source, f.properties.decided_by])).toEqual([
      ['poppy', 'desk', 'op-wang'],
    ]);
    ws.close();
  });

  it('audits a skip with its reviewer and changes nothing on the target', async () => {
    const ws = await world();
    const [top] = listTriage(ws).items;
    expect(skipTriage(ws, top.targetId, 'op-li')).toEqual({ targetId: top.targetId, decision: 'skip' });
    expect(readTarget(ws, top.targetId).status).toBe('detected');
    expect(listTriage(ws).reviewed).toBe(0);
    const e = readAuditLog(ws).filter((x) => x.action === 'triage.skip');
    expect(e.map((x) => [x.actor, x.subject])).toEqual([['op-li', top.targetId]]);
    expect(e[0].payload).toMatchObject({ status: 'detected', score_max: 0.9, model_versions: ['poppy-synth@1.0.0'] });
    expect(() => skipTriage(ws, 'nope', 'op-li')).toThrow(/no target 'nope'/);
    expect(verifyAudit(ws).ok).toBe(true);
    ws.close();
  });
});
