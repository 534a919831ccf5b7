import { describe, expect, it } from 'vitest';
import { evaluateCertification } from './certification-rules';
import { computeCoverage, type Footprint } from './coverage';
import { summarizeDeskDecisions } from './desk-dismissals';
import { coverageRulesOf, parseSeason } from './season';
import { applyReport, dismissAtDesk, markPlanned, reopenDeskDismissal, setStatusByDecision } from './target-lifecycle';
import { rect, report, target } from './fixtures.test-util';
import type { Target } from './target';

const zone = { id: 'V1', geometry: rect(100, 25, 100.01, 25.01) };
const full: Footprint = { imageId: 'a', geometry: rect(99.9, 24.9, 100.1, 25.1), gsdM: 0.05, acquired: '2026-04-01' };
const decision = { by: 'op-li', at: '2026-04-10T02:00:00Z', reason: '屋顶 roof', seasonId: '2026', modelVersions: ['poppy-synth@1.0.0'] };
const certify = (policy: Record<string, unknown>, targets: Target[]) => {
  const season = parseSeason({ id: '2026', year: 2026, policy });
  return evaluateCertification({ zone, season, coverage: computeCoverage(zone.geometry, [full], coverageRulesOf(season)), targets });
};
const rule = (r: ReturnType<typeof certify>) => r.rules.find((x) => x.id === 'desk_dismissals')!;

describe('desk dismissals in the lifecycle', () => {
  it('is its own status with the decision kept, never inspected_negative', () => {
    const c = dismissAtDesk(target('T1', { scoreMax: 0.72 }), decision);
    expect(c.to).toBe('dismissed_desk');
    expect(c.target.desk).toEqual({ ...decision, scoreMax: 0.72, reopened: null });
    expect(() => setStatusByDecision(target('T2'), 'inspected_negative', '看过照片 saw the photos')).toThrow(/no ground report/);
    expect(() => setStatusByDecision(target('T2'), 'dismissed_desk', 'x')).toThrow(/dismiss/);
    expect(() => dismissAtDesk(target('T3', { status: 'confirmed' }), decision)).toThrow(/confirmed/);
    expect(() => dismissAtDesk(target('T4', { origin: 'ground' }), decision)).toThrow(/ground/);
  });
  it('the ground overrides the office: a visit resolves or confirms a desk dismissal, the decision kept', () => {
    const d = dismissAtDesk(target('T1'), decision).target;
    const neg = applyReport(d, report('r1', { verdict: 'not_poppy', what: '屋顶' })).target;
    expect([neg.status, neg.desk?.by]).toEqual(['inspected_negative', 'op-li']);
    expect(applyReport(d, report('r2')).target.status).toBe('confirmed');
    expect(markPlanned(d).to).toBe('dismissed_desk');
    expect(markPlanned({ ...d, groundAudit: true }).to).toBe('planned');
  });
  it('reopens a desk dismissal back to detected, saying why', () => {
    const d = dismissAtDesk(target('T1'), decision).target;
    const r = reopenDeskDismissal(d, '2026-04-20T00:00:00Z', 'T9 was poppy');
    expect(r.to).toBe('detected');
    expect(r.target.desk?.reopened).toEqual({ at: '2026-04-20T00:00:00Z', because: 'T9 was poppy' });
    expect(reopenDeskDismissal(target('T2'), 'x', 'y').to).toBe('detected');
  });
});

describe('rule desk_dismissals', () => {
  const d = (id: string, score: number, over: Partial<Target> = {}) => ({ ...dismissAtDesk(target(id, { scoreMax: score }), decision).target, ...over });

  it('refuses by default: a dismissed 0.72 plot is not a ground inspection (the 阿都村 demo path)', () => {
    const r = certify({}, [d('T1', 0.72)]);
    expect(r.certifiable).toBe(false);
    expect(rule(r).pass).toBe(false);
    expect(rule(r).failing[0].properties).toMatchObject({ target_id: 'T1', desk_by: 'op-li', why: expect.stringContaining('does not accept') });
    expect(r.rules.find((x) => x.id === 'targets_resolved')!.pass).toBe(true);
  });
  it('accepts dismissals up to the policy score once the audit sample is drawn and inspected', () => {
    const policy = { desk_dismissal: { allowed: true, max_score: 0.5, audit_share: 0.1, audit_min: 1 } };
    expect(rule(certify(policy, [d('T1', 0.72)])).failing[0].properties.why).toMatch(/desk limit 0.5/);
    // Two dismissals, none drawn: the sample is short.
    expect(rule(certify(policy, [d('T1', 0.4), d('T2', 0.45)])).detail).toMatch(/0\/1 未抽足 sample not drawn/);
    // Drawn but not yet inspected: that target fails.
    const drawn = certify(policy, [d('T1', 0.4, { groundAudit: true }), d('T2', 0.45)]);
    expect(rule(drawn).failing.map((f) => f.id)).toEqual(['T1']);
    const inspected = applyReport(d('T1', 0.4, { groundAudit: true }), report('r1', { verdict: 'not_poppy' })).target;
    expect(certify(policy, [inspected, d('T2', 0.45)]).certifiable).toBe(true);
  });
  it('ignores dismissals below the review threshold when dismissals are not accepted', () => {
    expect(certify({}, [d('T1', 0.2)]).certifiable).toBe(true);
  });
  it('summarises desk dismissals apart from ground inspections', () => {
    const inspected = applyReport(d('T1', 0.4, { groundAudit: true }), report('r1', { verdict: 'not_poppy' })).target;
    const s = summarizeDeskDecisions([
      inspected,
      d('T2', 0.45),
      d('T3', 0.3, { desk: { ...decision, by: 'op-wang', modelVersions: ['m@2'], scoreMax: 0.3 } }),
      target('T4', { status: 'eradication_verified' }),
    ]);
    expect(s).toEqual({
      dismissed: 2,
      audited: 1,
      auditedInspected: 1,
      byReviewer: [
        { by: 'op-li', count: 1 },
        { by: 'op-wang', count: 1 },
      ],
      modelVersions: ['m@2', 'poppy-synth@1.0.0'],
      groundInspected: 2,
    });
  });
});
