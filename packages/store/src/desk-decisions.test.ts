import { describe, expect, it } from 'vitest';
import type { GroundReport } from '@tiandi/geo';
import { importReports } from './import-reports';
import { certifyZone, evaluateZone, listCertificates } from './certify-zone';
import { dismissTargetAtDesk, undoDeskDismissal } from './desk-decisions';
import { auditDrawKey } from './ground-audit-sample';
import { listTargets, setTargetStatus } from './targets';
import { readAuditLog, verifyAudit } from './verify-audit';
import { certificateHtml } from './certificate-html';
import { SEASON, rect, villagesWorld } from './test-world.test-util';

const DESK = { allowed: true, max_score: 0.5, audit_share: 0.1, audit_min: 2 };

/** Village V01 flown in one image with six plots scoring 0.40 … 0.45 (under the desk limit), and a 0.72 one. */
async function world(policy: Record<string, unknown> = { desk_dismissal: DESK }) {
  const cands = [0, 1, 2, 3, 4, 5].map((i) => ({
    id: `c${i}`,
    image: 'a.tif',
    poly: rect(100.001 + i * 0.001, 25.002, 100.0013 + i * 0.001, 25.0023),
    score: 0.4 + i * 0.01,
  }));
  cands.push({ id: 'hi', image: 'a.tif', poly: rect(100.001, 25.006, 100.0013, 25.0063), score: 0.72 });
  const { ws } = await villagesWorld({ season: { ...SEASON, policy: { ...SEASON.policy, ...policy } }, cands });
  const byScore = listTargets(ws, { zoneId: 'V01' }).sort((a, b) => a.scoreMax - b.scoreMax);
  return { ws, low: byScore.slice(0, 6), high: byScore[6] };
}

const visit = (
  t: { id: string; geometry: { coordinates: unknown } },
  reportId: string,
  verdict: GroundReport['verdict'],
): { row: number; report: GroundReport } => {
  const [x, y] = (t.geometry.coordinates as number[][][][])[0][0][0];
  return {
    row: 1,
    report: {
      reportId,
      targetId: t.id,
      verdict,
      what: verdict === 'not_poppy' ? '屋顶 roof' : null,
      position: [x + 0.0001, y + 0.0001],
      accuracyM: 5,
      observedAt: '2026-04-20T09:00:00+08:00',
      team: 'A',
      plantCount: null,
      areaM2: null,
      photos: [],
      notes: null,
    },
  };
};

describe('desk dismissals in the workspace', () => {
  it('the default policy refuses to certify on a desk dismissal, and a manual inspected_negative needs a ground report', async () => {
    const { ws, high, low } = await world({});
    const t = dismissTargetAtDesk(ws, { targetId: high.id, reason: '屋顶 roof' }, 'op-li');
    expect(t).toMatchObject({
      status: 'dismissed_desk',
      groundAudit: false,
      desk: { by: 'op-li', reason: '屋顶 roof', seasonId: '2026', modelVersions: ['poppy-synth@1.0.0'], scoreMax: 0.72 },
    });
    expect(readAuditLog(ws).at(-1)).toMatchObject({ actor: 'op-li', action: 'target.desk_dismiss', subject: high.id });
    for (const l of low) importReports(ws, [visit(l, 'r-' + l.id, 'nothing_found')], 'team');
    const r = certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: 'mgr' }, 'mgr');
    expect(r.certificate).toBeNull();
    expect(r.evaluation.result.rules.find((x) => x.id === 'desk_dismissals')).toMatchObject({ pass: false, failing: [{ id: high.id }] });
    expect(() => setTargetStatus(ws, { targetId: high.id, status: 'inspected_negative', reason: 'looked again' }, 'mgr')).toThrow(/no ground report/);
    // Undo puts it back to be visited; it still blocks until a team goes.
    expect(undoDeskDismissal(ws, { targetId: high.id, reason: 'oops' }, 'op-li').status).toBe('detected');
    expect(evaluateZone(ws, 'V01', '2026').result.rules.find((x) => x.id === 'targets_resolved')!.pass).toBe(false);
    expect(verifyAudit(ws).ok).toBe(true);
    ws.close();
  });

  it('draws a reproducible ground-audit sample, lists desk dismissals apart on the certificate, and reopens a reviewer on poppy', async () => {
    const { ws, low, high } = await world();
    const lis = low.slice(0, 5);
    for (const t of lis) dismissTargetAtDesk(ws, { targetId: t.id, reason: '油菜 rapeseed' }, 'op-li');
    dismissTargetAtDesk(ws, { targetId: low[5].id, reason: '阴影 shadow' }, 'op-wang');
    // 6 dismissals in V01: max(2, ⌈0.6⌉) = 2 drawn, the two lowest draw keys, whoever made them.
    const drawn = listTargets(ws, { zoneId: 'V01' })
      .filter((t) => t.groundAudit)
      .map((t) => t.id)
      .sort();
    expect(drawn).toHaveLength(2);
    // The draw is topped up as dismissals come in, so a key only competes with those before it: replay it.
    const replay: string[] = [];
    for (let n = 1; n <= 6; n++) {
      const pool = low
        .slice(0, n)
        .map((t) => t.id)
        .filter((id) => !replay.includes(id));
      const need = Math.min(n, Math.max(2, Math.ceil(0.1 * n))) - replay.length;
      replay.push(...pool.sort((a, b) => (auditDrawKey('2026', 'V01', a) < auditDrawKey('2026', 'V01', b) ? -1 : 1)).slice(0, Math.max(0, need)));
    }
    expect(drawn).toEqual(replay.sort());
    expect(
      readAuditLog(ws)
        .filter((e) => e.action === 'target.ground_audit')
        .map((e) => e.subject)
        .sort(),
    ).toEqual(drawn);

    // The high plot needs a team anyway; the drawn ones must be visited before V01 can be certified.
    importReports(ws, [visit(high, 'r-high', 'not_poppy')], 'team');
    const before = certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: 'mgr' }, 'mgr');
    expect(before.certificate).toBeNull();
    expect(
      before.evaluation.result.rules
        .find((x) => x.id === 'desk_dismissals')!
        .failing.map((f) => f.id)
        .sort(),
    ).toEqual(drawn);
    const byId = new Map(low.map((t) => [t.id, t]));
    importReports(
      ws,
      drawn.map((id, i) => ({ ...visit(byId.get(id)!, 'r-a' + i, 'not_poppy'), row: i + 1 })),
      'team',
    );
    const cert = certifyZone(ws, { zoneId: 'V01', seasonId: '2026', signer: 'mgr' }, 'mgr').certificate!;
    expect(cert).not.toBeNull();
    const standingLi = lis.filter((t) => !drawn.includes(t.id)).length;
    const wangDrawn = drawn.includes(low[5].id);
    expect(cert.deskDecisions).toMatchObject({ dismissed: 4, audited: 2, auditedInspected: 2, groundInspected: 3, modelVersions: ['poppy-synth@1.0.0'] });
    expect(cert.deskDecisions!.byReviewer).toEqual(
      [{ by: 'op-li', count: standingLi }, ...(wangDrawn ? [] : [{ by: 'op-wang', count: 1 }])].sort((a, b) => b.count - a.count),
    );
    expect(certificateHtml(cert)).toMatch(/案头排除 Dismissed at the desk \(not visited\)<\/td><td>4</);

    // A later visit finds poppy on one of op-li's standing dismissals: all of op-li's reopen, the certificate goes stale.
    const bad = lis.find((t) => !drawn.includes(t.id))!;
    importReports(ws, [visit(bad, 'r-bad', 'confirmed_poppy')], 'team');
    const after = new Map(listTargets(ws, { zoneId: 'V01' }).map((t) => [t.id, t]));
    expect(after.get(bad.id)!.status).toBe('confirmed');
    for (const t of lis.filter((x) => !drawn.includes(x.id) && x.id !== bad.id)) {
      expect(after.get(t.id)).toMatchObject({ status: 'detected', desk: { by: 'op-li', reopened: { because: expect.stringContaining(bad.id) } } });
    }
    if (!wangDrawn) expect(after.get(low[5].id)!.status).toBe('dismissed_desk');
    expect(listCertificates(ws, { zoneId: 'V01' })[0].status).toBe('stale');
    expect(readAuditLog(ws).some((e) => e.action === 'desk.reviewer_reopened' && e.subject === 'op-li')).toBe(true);
    expect(verifyAudit(ws).ok).toBe(true);
    ws.close();
  });

  it('refuses a desk dismissal of a target the ground has spoken on', async () => {
    const { ws, high } = await world();
    importReports(ws, [visit(high, 'r1', 'confirmed_poppy')], 'team');
    expect(() => dismissTargetAtDesk(ws, { targetId: high.id, reason: 'roof' }, 'op')).toThrow(/confirmed/);
    ws.close();
  });
});
