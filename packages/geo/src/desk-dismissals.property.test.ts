import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateCertification } from './certification-rules';
import { computeCoverage, type Footprint } from './coverage';
import { auditSampleSize, coverageRulesOf, parseSeason } from './season';
import { applyReport, dismissAtDesk } from './target-lifecycle';
import { rect, report, target } from './fixtures.test-util';
import type { Target } from './target';

// A fully covered zone whose targets were all dismissed at the desk (some audited on the ground since), under
// random policies: certification may pass only on desk evidence the policy allows.
const zone = { id: 'Z', geometry: rect(100, 25, 100.01, 25.01) };
const full: Footprint = { imageId: 'a', geometry: rect(99.9, 24.9, 100.1, 25.1), gsdM: 0.05, acquired: '2026-04-01' };

const arbCase = fc.record({
  policy: fc.record({
    review_threshold: fc.double({ min: 0, max: 1, noNaN: true }),
    desk_dismissal: fc.record({
      allowed: fc.boolean(),
      max_score: fc.double({ min: 0, max: 1, noNaN: true }),
      audit_share: fc.double({ min: 0, max: 1, noNaN: true }),
      audit_min: fc.integer({ min: 0, max: 5 }),
    }),
  }),
  dismissals: fc.array(
    fc.record({
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      drawn: fc.boolean(),
      ground: fc.constantFrom(null, 'not_poppy', 'confirmed_poppy', 'nothing_found'),
    }),
    { maxLength: 12 },
  ),
});

describe('desk dismissals property', () => {
  it('certification never passes on desk evidence the policy does not allow', () => {
    fc.assert(
      fc.property(arbCase, ({ policy, dismissals }) => {
        const season = parseSeason({ id: '2026', year: 2026, policy });
        const p = season.policy;
        const targets: Target[] = dismissals.map((d, i) => {
          let t = dismissAtDesk(target('T' + i, { scoreMax: d.score }), { by: 'op', at: null, reason: 'roof', seasonId: '2026', modelVersions: [] }).target;
          t = { ...t, groundAudit: d.drawn };
          if (d.ground) t = applyReport(t, report('r' + i, { verdict: d.ground as 'not_poppy', what: 'x' })).target;
          return t;
        });
        const res = evaluateCertification({ zone, season, coverage: computeCoverage(zone.geometry, [full], coverageRulesOf(season)), targets });
        if (!res.certifiable) return;
        const owed = (t: Target) => t.scoreMax >= p.reviewThreshold;
        const standing = targets.filter((t) => t.status === 'dismissed_desk');
        // Every standing desk dismissal a visit was owed on is one the policy accepts.
        for (const t of standing.filter(owed)) {
          expect(p.deskDismissal.allowed).toBe(true);
          expect(t.scoreMax).toBeLessThanOrEqual(p.deskDismissal.maxScore);
        }
        // No target drawn for a ground audit passes on the desk decision alone.
        for (const t of standing) expect(t.groundAudit).toBe(false);
        // The audit sample is full wherever desk dismissals count.
        if (p.deskDismissal.allowed)
          expect(targets.filter((t) => t.groundAudit).length).toBeGreaterThanOrEqual(auditSampleSize(targets.length, p.deskDismissal));
        // And nothing the ground found poppy is left unresolved.
        expect(targets.some((t) => t.status === 'confirmed')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('with the default policy, any desk dismissal owed a visit refuses certification', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.35, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }), (scores) => {
        const season = parseSeason({ id: '2026', year: 2026 });
        const targets = scores.map(
          (s, i) => dismissAtDesk(target('T' + i, { scoreMax: s }), { by: 'op', at: null, reason: 'tarp', seasonId: '2026', modelVersions: [] }).target,
        );
        const res = evaluateCertification({ zone, season, coverage: computeCoverage(zone.geometry, [full], coverageRulesOf(season)), targets });
        expect(res.certifiable).toBe(false);
        expect(res.rules.find((r) => r.id === 'desk_dismissals')!.failing).toHaveLength(scores.length);
      }),
      { numRuns: 100 },
    );
  });
});
