import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateCertification } from './certification-rules';
import { computeCoverage, type Footprint } from './coverage';
import { auditSampleSize, coverageRulesOf, parseSeason } from './season';
import { applyReport, dismissAtDesk, dismissByModel } from './target-lifecycle';
import { rect, report, target } from './fixtures.test-util';
import type { Target } from './target';

// A fully covered zone whose targets an adopted adapted verifier scored below its threshold (status dismissed_model),
// some drawn for a ground audit and visited since, a few dismissed at the desk too, under random policies with and
// without policy.model_dismissal: certification may pass only on model evidence the policy allows.
const zone = { id: 'Z', geometry: rect(100, 25, 100.01, 25.01) };
const full: Footprint = { imageId: 'a', geometry: rect(99.9, 24.9, 100.1, 25.1), gsdM: 0.05, acquired: '2026-04-01' };
const terms = fc.record({
  allowed: fc.boolean(),
  max_score: fc.double({ min: 0, max: 1, noNaN: true }),
  audit_share: fc.double({ min: 0, max: 1, noNaN: true }),
  audit_min: fc.integer({ min: 0, max: 5 }),
});

const arbCase = fc.record({
  policy: fc.record({
    review_threshold: fc.double({ min: 0, max: 1, noNaN: true }),
    desk_dismissal: terms,
    model_dismissal: fc.option(terms, { nil: undefined }),
  }),
  targets: fc.array(
    fc.record({
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      by: fc.constantFrom('model', 'desk'),
      drawn: fc.boolean(),
      ground: fc.constantFrom(null, 'not_poppy', 'confirmed_poppy', 'nothing_found'),
    }),
    { maxLength: 12 },
  ),
});

const byModel = (t: Target, i: number) =>
  dismissByModel(t, {
    model: 'poppy-synth-adapted-1@1.1.0-adapted.1',
    at: '2026-04-02T00:00:00Z',
    seasonId: '2026',
    scoreVerify: 0.1 + i / 100,
    threshold: 0.7,
  }).target;

describe('model dismissals property', () => {
  it('certification never passes on adapted-model evidence the policy does not allow', () => {
    fc.assert(
      fc.property(arbCase, ({ policy, targets: spec }) => {
        const season = parseSeason({
          id: '2026',
          year: 2026,
          policy: {
            review_threshold: policy.review_threshold,
            desk_dismissal: policy.desk_dismissal,
            ...(policy.model_dismissal ? { model_dismissal: policy.model_dismissal } : {}),
          },
        });
        const p = season.policy;
        const targets: Target[] = spec.map((d, i) => {
          const t0 = target('T' + i, { scoreMax: d.score });
          let t = d.by === 'model' ? byModel(t0, i) : dismissAtDesk(t0, { by: 'op', at: null, reason: 'roof', seasonId: '2026', modelVersions: [] }).target;
          t = { ...t, groundAudit: d.drawn };
          if (d.ground) t = applyReport(t, report('r' + i, { verdict: d.ground as 'not_poppy', what: 'x' })).target;
          return t;
        });
        const res = evaluateCertification({ zone, season, coverage: computeCoverage(zone.geometry, [full], coverageRulesOf(season)), targets });
        const pool = targets.filter((t) => t.desk?.kind === 'model');
        // The rule is in the table wherever a model dismissal is, or the season sets its terms.
        expect(res.rules.some((r) => r.id === 'model_dismissals')).toBe(pool.length > 0 || p.modelDismissal !== undefined);
        if (!res.certifiable) return;
        const standing = targets.filter((t) => t.status === 'dismissed_model');
        for (const t of standing.filter((x) => x.scoreMax >= p.reviewThreshold)) {
          // A model dismissal owed a visit counts only where the season says so, and up to its score limit.
          expect(p.modelDismissal?.allowed).toBe(true);
          expect(t.scoreMax).toBeLessThanOrEqual(p.modelDismissal!.maxScore);
        }
        for (const t of standing) expect(t.groundAudit).toBe(false);
        if (p.modelDismissal?.allowed) expect(pool.filter((t) => t.groundAudit).length).toBeGreaterThanOrEqual(auditSampleSize(pool.length, p.modelDismissal));
        // A model dismissal is never counted as a ground inspection, and desk terms never admit one.
        expect(targets.some((t) => t.status === 'confirmed')).toBe(false);
        if (!p.modelDismissal) expect(standing.filter((x) => x.scoreMax >= p.reviewThreshold)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('a season without model_dismissal refuses any model dismissal owed a visit, even where it accepts desk dismissals', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.35, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), (scores) => {
        const season = parseSeason({ id: '2026', year: 2026, policy: { desk_dismissal: { allowed: true, max_score: 1, audit_share: 0, audit_min: 0 } } });
        const targets = scores.map((s, i) => byModel(target('T' + i, { scoreMax: s }), i));
        const res = evaluateCertification({ zone, season, coverage: computeCoverage(zone.geometry, [full], coverageRulesOf(season)), targets });
        expect(res.certifiable).toBe(false);
        const rule = res.rules.find((r) => r.id === 'model_dismissals')!;
        expect(rule.failing).toHaveLength(scores.length);
        expect(rule.failing[0].properties.why).toMatch(/does not accept dismissals by an adapted verifier/);
        expect(res.rules.find((r) => r.id === 'targets_resolved')!.pass).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('dismissByModel only takes detected scan targets, and undo or a ground report brings them back', () => {
    const t = byModel(target('A', { scoreMax: 0.6 }), 0);
    expect(t).toMatchObject({ status: 'dismissed_model', desk: { kind: 'model', by: 'model:poppy-synth-adapted-1@1.1.0-adapted.1', threshold: 0.7 } });
    expect(byModel(target('B', { status: 'planned' }), 0).status).toBe('planned');
    expect(byModel(target('C', { origin: 'ground' }), 0).status).toBe('detected');
    expect(applyReport(t, report('r1', { verdict: 'confirmed_poppy' })).to).toBe('confirmed');
  });
});
