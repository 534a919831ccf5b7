import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateCertification } from './certification-rules';
import { computeCoverage, type Footprint } from './coverage';
import { coverageRulesOf, parseSeason } from './season';
import { applyReport, dismissAtDesk } from './target-lifecycle';
import { rect, report, target } from './fixtures.test-util';
import { TARGET_STATUSES, isUnverifiedScan, type Target } from './target';

// A fully covered zone with random scan targets — verified or not, any verifier score, any status, some dismissed at
// the desk, some answered on the ground — under random policies: an open unverified target at or above the review
// threshold always refuses certification, and an unverified desk dismissal passes only where the policy accepts it.
const zone = { id: 'Z', geometry: rect(100, 25, 100.01, 25.01) };
const full: Footprint = { imageId: 'a', geometry: rect(99.9, 24.9, 100.1, 25.1), gsdM: 0.05, acquired: '2026-04-01' };
const OPEN = new Set(['detected', 'planned', 'needs_revisit']);

const arbTarget = fc.record({
  scoreMax: fc.double({ min: 0, max: 1, noNaN: true }),
  scoreVerify: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  unverified: fc.boolean(),
  status: fc.constantFrom(...TARGET_STATUSES),
  desk: fc.boolean(),
  ground: fc.constantFrom(null, 'not_poppy', 'nothing_found'),
});
const arbCase = fc.record({
  policy: fc.record({
    review_threshold: fc.double({ min: 0, max: 1, noNaN: true }),
    desk_dismissal: fc.record({
      allowed: fc.boolean(),
      max_score: fc.double({ min: 0, max: 1, noNaN: true }),
      audit_share: fc.constant(0),
      audit_min: fc.constant(0),
    }),
  }),
  targets: fc.array(arbTarget, { minLength: 1, maxLength: 10 }),
});

type TargetCase = typeof arbTarget extends fc.Arbitrary<infer T> ? T : never;

function build(i: number, x: TargetCase): Target {
  let t = target('T' + i, { scoreMax: x.scoreMax, scoreVerify: x.scoreVerify, unverified: x.unverified, status: x.desk ? 'detected' : x.status });
  if (x.desk) t = dismissAtDesk(t, { by: 'op', at: null, reason: 'roof', seasonId: '2026', modelVersions: [] }).target;
  if (x.ground) t = applyReport(t, report('r' + i, { verdict: x.ground, what: 'x' })).target;
  return t;
}

describe('unverified targets in certification (property)', () => {
  it('never passes with an open unverified target at or above the review threshold, whatever its verifier score', () => {
    fc.assert(
      fc.property(arbCase, ({ policy, targets: xs }) => {
        const season = parseSeason({ id: '2026', year: 2026, policy });
        const p = season.policy;
        const targets = xs.map((x, i) => build(i, x));
        const res = evaluateCertification({ zone, season, coverage: computeCoverage(zone.geometry, [full], coverageRulesOf(season)), targets });
        const owed = targets.filter((t) => isUnverifiedScan(t) && OPEN.has(t.status) && t.scoreMax >= p.reviewThreshold);
        const resolved = res.rules.find((r) => r.id === 'targets_resolved')!;
        // Each one is named in the rule table as unverified, and the zone is not certifiable.
        for (const t of owed) expect(resolved.failing.find((f) => f.id === t.id)?.properties.unverified).toBe(true);
        if (owed.length) expect(res.certifiable).toBe(false);
        if (!res.certifiable) return;
        // Where it passes, every unverified target at or above the threshold was answered on the ground or at a desk the policy accepts.
        for (const t of targets.filter((t) => isUnverifiedScan(t) && t.scoreMax >= p.reviewThreshold)) {
          if (t.status === 'dismissed_desk') {
            expect(p.deskDismissal.allowed).toBe(true);
            expect(t.scoreMax).toBeLessThanOrEqual(p.deskDismissal.maxScore);
          } else expect(OPEN.has(t.status)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });
});
