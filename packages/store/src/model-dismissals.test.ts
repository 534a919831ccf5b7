import { describe, expect, it } from 'vitest';
import { Workspace } from './workspace';
import { setSeason } from './set-season';
import { listTargets } from './targets';
import { adoptModel, restoreModel, verifiedCandidates } from './model-adoption';
import { certifyZone } from './certify-zone';
import { decideTriage, listTriage } from './triage';
import { readAuditLog, verifyAudit } from './verify-audit';
import { ADAPTED_MODEL, SEASON, threeVerifiedPlotsWorld } from './test-world.test-util';
import { importReports } from './import-reports';

const world = threeVerifiedPlotsWorld;
const ADAPTED = ADAPTED_MODEL;
const statuses = (ws: Workspace) =>
  listTargets(ws)
    .map((t) => [t.scoreVerify, t.status])
    .sort();
const rule = (r: ReturnType<typeof certifyZone>, id: string) => r.evaluation.result.rules.find((x) => x.id === id);

describe('targets an adopted adapted verifier scores below its threshold', () => {
  it('get their own status, are refused as evidence by default, drawn for a ground audit where the season accepts them, and come back on restore', async () => {
    const ws = await world();
    const ids = verifiedCandidates(ws).map((c) => c.candidate_id);
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
    expect(statuses(ws)).toEqual([
      [0.2, 'dismissed_model'],
      [0.5, 'dismissed_model'],
      [0.999, 'detected'],
    ]);
    const dismissed = listTargets(ws).find((t) => t.scoreVerify === 0.2)!;
    expect(dismissed.desk).toMatchObject({
      kind: 'model',
      by: 'model:poppy-synth-adapted-1@1.0.0-adapted.1',
      scoreVerify: 0.2,
      threshold: 0.98,
      seasonId: '2026',
      modelVersions: ['poppy-synth-adapted-1@1.0.0-adapted.1'],
    });

    // Default season: not inspected, and not accepted in place of a visit; the rule table says so apart.
    const refused = certifyZone(ws, { zoneId: 'V01', signer: 'Zhao' }, 'mgr-zhao');
    expect(refused.certificate).toBeNull();
    expect(rule(refused, 'targets_resolved')!.failing).toHaveLength(1);
    expect(rule(refused, 'model_dismissals')).toMatchObject({ pass: false, title: '适配模型排除符合政策 adapted-model dismissals per policy' });
    expect(rule(refused, 'model_dismissals')!.failing.map((f) => f.properties.why)).toEqual([
      expect.stringMatching(/does not accept dismissals by an adapted verifier/),
      expect.stringMatching(/does not accept dismissals by an adapted verifier/),
    ]);

    // A season accepting them up to score 0.9 with a 50 % audit: one of the two is drawn and must be visited.
    setSeason(ws, { ...SEASON, policy: { ...SEASON.policy, model_dismissal: { allowed: true, max_score: 0.9, audit_share: 0.5, audit_min: 1 } } }, 'lead');
    const audited = certifyZone(ws, { zoneId: 'V01', signer: 'Zhao' }, 'mgr-zhao');
    expect(audited.certificate).toBeNull();
    expect(
      listTargets(ws)
        .filter((t) => t.groundAudit)
        .map((t) => t.status),
    ).toEqual(['dismissed_model']);
    expect(rule(audited, 'model_dismissals')!.failing.map((f) => f.properties.why)).toEqual([expect.stringMatching(/drawn for a ground audit/)]);
    expect(
      readAuditLog(ws)
        .filter((e) => e.action === 'target.ground_audit')
        .map((e) => (e.payload as { kind?: string }).kind),
    ).toEqual(['model']);

    // Triage sees them; a reviewer's "poppy-like" overrides the model: owed a visit again.
    expect(
      listTriage(ws)
        .items.map((i) => i.status)
        .sort(),
    ).toEqual(['detected', 'dismissed_model', 'dismissed_model']);
    const other = listTargets(ws).find((t) => t.status === 'dismissed_model' && !t.groundAudit)!;
    decideTriage(ws, { targetId: other.id, decision: 'poppy_like' }, 'op-li');
    expect(listTargets(ws).find((t) => t.id === other.id)!).toMatchObject({ status: 'detected', desk: null });

    // Restore: the scans' scores are back and so is every target's open status; each change audited.
    const back = restoreModel(ws, 'mgr-zhao');
    expect(back).toMatchObject({ dismissed: 0, undone: 1 });
    expect(statuses(ws)).toEqual([
      [0.985, 'detected'],
      [0.99, 'detected'],
      [0.995, 'detected'],
    ]);
    expect(
      readAuditLog(ws)
        .filter((e) => e.action.startsWith('target.model_'))
        .map((e) => e.action),
    ).toEqual(['target.model_dismiss', 'target.model_dismiss', 'target.model_undo', 'target.model_undo']);
    expect(verifyAudit(ws).ok).toBe(true);
    ws.close();
  });

  it('leaves a target a reviewer found poppy-like alone (the person overrides the model)', async () => {
    const ws = await world();
    const [a] = listTriage(ws).items;
    decideTriage(ws, { targetId: a.targetId, decision: 'poppy_like' }, 'op-li');
    const ids = verifiedCandidates(ws).map((c) => c.candidate_id);
    const r = adoptModel(ws, ADAPTED, new Map(ids.map((id) => [id, 0.1])), 'mgr');
    expect(r.dismissed).toBe(2);
    expect(listTargets(ws).find((t) => t.id === a.targetId)!.status).toBe('detected');
    ws.close();
  });

  it('one found poppy on the ground reopens every dismissal by that model version, which stay open on a later adoption', async () => {
    const ws = await world();
    const ids = verifiedCandidates(ws).map((c) => c.candidate_id);
    adoptModel(ws, ADAPTED, new Map(ids.map((id) => [id, 0.1])), 'mgr');
    const [a, b, c] = listTargets(ws).sort((x, y) => (x.id < y.id ? -1 : 1));
    expect([a, b, c].map((t) => t.status)).toEqual(['dismissed_model', 'dismissed_model', 'dismissed_model']);
    const [x0, y0] = (a.geometry.type === 'Polygon' ? a.geometry.coordinates[0][0] : a.geometry.coordinates[0][0][0]) as [number, number];
    importReports(
      ws,
      [
        {
          row: 2,
          report: {
            reportId: 'g1',
            targetId: a.id,
            verdict: 'confirmed_poppy',
            what: null,
            position: [x0 + 0.0001, y0 + 0.0001],
            accuracyM: 3,
            observedAt: '2026-04-20T10:00:00+08:00',
            team: 'A',
            plantCount: 300,
            areaM2: 10,
            photos: [],
            notes: null,
          },
        },
      ],
      'field-a',
    );
    const after = new Map(listTargets(ws).map((t) => [t.id, t]));
    expect(after.get(a.id)!.status).toBe('confirmed');
    for (const t of [b, c])
      expect(after.get(t.id)).toMatchObject({
        status: 'detected',
        desk: { kind: 'model', reopened: { because: expect.stringMatching(/every dismissal by model:poppy-synth-adapted-1@1.0.0-adapted.1/) } },
      });
    expect(
      readAuditLog(ws)
        .filter((e) => e.action === 'target.reopen')
        .map((e) => e.subject)
        .sort(),
    ).toEqual([b.id, c.id].sort());
    // Reopened ones stay open: adopting the same version again does not dismiss them a second time.
    restoreModel(ws, 'mgr');
    expect(adoptModel(ws, ADAPTED, new Map(ids.map((id) => [id, 0.1])), 'mgr').dismissed).toBe(0);
    ws.close();
  });
});
