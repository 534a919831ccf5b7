import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COVERAGE_TOLERANCE, evaluateCertification } from './certification-rules';
import { computeCoverage, type Footprint } from './coverage';
import { coverageRulesOf, parseSeason } from './season';
import { applyReport } from './target-lifecycle';
import { TARGET_STATUSES, type Target } from './target';
import { rect, report, target } from './fixtures.test-util';
import type { Verdict } from './ground-report';
import type { LonLat, Polygon } from './geojson';

const season = parseSeason({ id: '2026', year: 2026 });

describe('evaluateCertification', () => {
  const zone = { id: 'V1', geometry: rect(100, 25, 100.01, 25.01) };
  const full: Footprint = { imageId: 'a', geometry: rect(99.9, 24.9, 100.1, 25.1), gsdM: 0.05, acquired: '2026-04-01' };

  it('passes every rule on complete evidence', () => {
    const cov = computeCoverage(zone.geometry, [full], coverageRulesOf(season));
    const r = evaluateCertification({
      zone,
      season,
      coverage: cov,
      targets: [target('T1', { status: 'eradication_verified' }), target('T2', { status: 'inspected_negative' }), target('T3', { scoreMax: 0.1 })],
    });
    expect(r.certifiable).toBe(true);
    expect(r.rules.map((x) => [x.id, x.pass])).toEqual([
      ['coverage', true],
      ['targets_resolved', true],
      ['desk_dismissals', true],
      ['eradication_verified', true],
      ['no_open_review', true],
    ]);
  });

  it('a zone covered exactly edge to edge passes a 100 % coverage policy', () => {
    const strict = parseSeason({ id: '2026', year: 2026, policy: { min_coverage_share: 1 } });
    const tiles: Footprint[] = [0, 1, 2].map((i) => ({
      imageId: 't' + i,
      geometry: rect(100 + i * (0.01 / 3), 25, 100 + (i + 1) * (0.01 / 3), 25.01),
      gsdM: 0.05,
      acquired: '2026-04-01',
    }));
    const cov = computeCoverage(zone.geometry, tiles, coverageRulesOf(strict));
    expect(evaluateCertification({ zone, season: strict, coverage: cov, targets: [] }).certifiable).toBe(true);
  });

  it('names each failing rule and its features', () => {
    const half: Footprint = { ...full, geometry: rect(99.9, 24.9, 100.005, 25.1) };
    const cov = computeCoverage(zone.geometry, [half], coverageRulesOf(season));
    const r = evaluateCertification({
      zone,
      season,
      coverage: cov,
      targets: [target('T1'), target('T2', { status: 'eradicated' }), target('T3', { review: { reason: 'x', reportIds: ['r1'] }, status: 'confirmed' })],
    });
    expect(r.certifiable).toBe(false);
    const by = Object.fromEntries(r.rules.map((x) => [x.id, x]));
    expect(by.coverage.pass).toBe(false);
    expect(by.coverage.failing).toHaveLength(1);
    expect(by.targets_resolved.failing.map((f) => f.id)).toEqual(['T1']);
    expect(by.eradication_verified.failing.map((f) => f.id)).toEqual(['T2', 'T3']);
    expect(by.no_open_review.failing.map((f) => f.id)).toEqual(['T3']);
  });

  it('names unverified scan targets apart in the rule table and its failing features, by their mark, not a missing verifier score', () => {
    const cov = computeCoverage(zone.geometry, [full], coverageRulesOf(season));
    const targets = [
      target('T1', { scoreMax: 0.9, scoreVerify: null, unverified: true }),
      target('T2', { scoreMax: 0.9, scoreVerify: 0.99, unverified: false }),
      target('T3', { scoreMax: 0.2, scoreVerify: null, unverified: true }),
      target('T4', { scoreVerify: null, unverified: true, status: 'inspected_negative' }),
      // Judged low by the verifier on one image, flagged unverified on another: still unverified, still owed a visit.
      target('T5', { scoreMax: 0.5, scoreVerify: 0.01, unverified: true }),
    ];
    const rule = evaluateCertification({ zone, season, coverage: cov, targets }).rules.find((x) => x.id === 'targets_resolved')!;
    expect(rule.pass).toBe(false);
    expect(rule.failing.map((f) => [f.id, f.properties.unverified, f.properties.why])).toEqual([
      ['T1', true, 'not inspected; unverified by the second stage'],
      ['T2', false, 'not inspected'],
      ['T5', true, 'not inspected; unverified by the second stage'],
    ]);
    expect(rule.detail).toContain('3 个待核查 awaiting a ground visit');
    expect(rule.detail).toContain('其中 2 个未经复核 of them 2 unverified');
    expect(rule.detail).toContain('1 个未经复核且低于阈值 unverified below the threshold');
    // Without unverified targets the detail stays as it was.
    expect(evaluateCertification({ zone, season, coverage: cov, targets: [targets[1]] }).rules[1].detail).not.toContain('unverified');
  });

  it('a ground finding is never unverified, whatever its mark', () => {
    const cov = computeCoverage(zone.geometry, [full], coverageRulesOf(season));
    const rule = evaluateCertification({ zone, season, coverage: cov, targets: [target('G1', { origin: 'ground', scoreMax: 1, unverified: true })] }).rules[1];
    expect(rule.failing.map((f) => [f.id, f.properties.unverified])).toEqual([['G1', false]]);
  });
});

// Random zones, footprints, targets and reports: certification passes exactly when every rule, checked
// independently here, holds — so it never passes when any rule fails.
const verdicts: Verdict[] = ['confirmed_poppy', 'eradicated', 'not_poppy', 'nothing_found', 'inaccessible'];
const arbWorld = fc.record({
  zoneX: fc.double({ min: 98, max: 105, noNaN: true }),
  zoneY: fc.double({ min: 20, max: 28, noNaN: true }),
  sizeDeg: fc.double({ min: 0.002, max: 0.02, noNaN: true }),
  // A star-shaped zone: radii (share of size) at evenly spaced angles; a square when empty.
  zoneRadii: fc.oneof(fc.constant([] as number[]), fc.array(fc.double({ min: 0.25, max: 0.5, noNaN: true }), { minLength: 3, maxLength: 10 })),
  footprints: fc.array(
    fc.record({
      fx: fc.double({ min: -0.3, max: 1.0, noNaN: true }),
      fy: fc.double({ min: -0.3, max: 1.0, noNaN: true }),
      fw: fc.double({ min: 0.1, max: 1.5, noNaN: true }),
      gsdM: fc.constantFrom(0.03, 0.08, 0.1, 0.15),
      day: fc.constantFrom('2026-02-20', '2026-03-01', '2026-04-15', '2026-05-31', '2026-06-02'),
    }),
    { maxLength: 6 },
  ),
  targets: fc.array(
    fc.record({
      status: fc.constantFrom(...TARGET_STATUSES),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      ground: fc.boolean(),
      drawn: fc.boolean(),
      reports: fc.array(fc.record({ verdict: fc.constantFrom(...verdicts), day: fc.integer({ min: 0, max: 30 }) }), { maxLength: 3 }),
    }),
    { maxLength: 6 },
  ),
  minShare: fc.constantFrom(0.5, 0.9, 0.98, 1),
  desk: fc.record({
    allowed: fc.boolean(),
    max_score: fc.double({ min: 0, max: 1, noNaN: true }),
    audit_share: fc.constantFrom(0, 0.1, 0.5, 1),
    audit_min: fc.integer({ min: 0, max: 3 }),
  }),
  model: fc.option(
    fc.record({
      allowed: fc.boolean(),
      max_score: fc.double({ min: 0, max: 1, noNaN: true }),
      audit_share: fc.constantFrom(0, 0.1, 0.5, 1),
      audit_min: fc.integer({ min: 0, max: 3 }),
    }),
    { nil: undefined },
  ),
});

type World = typeof arbWorld extends fc.Arbitrary<infer W> ? W : never;
type DismissalPolicy = { allowed: boolean; maxScore: number; auditMin: number; auditShare: number };

/** The world's zone: a square, or a star of its radii. */
function worldZone(w: World): Polygon {
  if (w.zoneRadii.length === 0) return rect(w.zoneX, w.zoneY, w.zoneX + w.sizeDeg, w.zoneY + w.sizeDeg);
  const star = w.zoneRadii.map((r, i): LonLat => {
    const a = (2 * Math.PI * i) / w.zoneRadii.length;
    return [w.zoneX + w.sizeDeg * (0.5 + r * Math.cos(a)), w.zoneY + w.sizeDeg * (0.5 + r * Math.sin(a))];
  });
  return { type: 'Polygon', coordinates: [[...star, [w.zoneX + w.sizeDeg * (0.5 + w.zoneRadii[0]), w.zoneY + w.sizeDeg * 0.5]]] };
}

function worldFootprints(w: World): Footprint[] {
  return w.footprints.map((f, i) => ({
    imageId: 'i' + i,
    geometry: rect(w.zoneX + f.fx * w.sizeDeg, w.zoneY + f.fy * w.sizeDeg, w.zoneX + (f.fx + f.fw) * w.sizeDeg, w.zoneY + (f.fy + f.fw) * w.sizeDeg),
    gsdM: f.gsdM,
    acquired: f.day,
  }));
}

/** The world's targets with their desk or model dismissals, and its reports applied in order. */
function worldTargets(w: World): Target[] {
  return w.targets.map((t, i) => {
    let x = target('T' + i, { status: t.status, scoreMax: t.score, origin: t.ground ? 'ground' : 'scan', groundAudit: t.drawn });
    if (t.status === 'dismissed_desk') x.desk = { by: 'op', at: null, reason: 'roof', seasonId: '2026', modelVersions: [], scoreMax: t.score };
    if (t.status === 'dismissed_model')
      x.desk = { kind: 'model', by: 'model:m@1-adapted.1', at: null, reason: 'below', seasonId: '2026', modelVersions: ['m@1-adapted.1'], scoreMax: t.score };
    t.reports.forEach((r, j) => {
      x = applyReport(x, report(`r${i}-${j}`, { verdict: r.verdict, what: 'x', observedAt: `2026-04-${String(1 + r.day).padStart(2, '0')}T00:00:00Z` })).target;
    });
    return x;
  });
}

/** Every rule checked independently of evaluateCertification: certifiable exactly when all hold. */
function expectedCertifiable(w: World, s: ReturnType<typeof parseSeason>, covShare: number, targets: Target[]): boolean {
  const covOk = covShare + COVERAGE_TOLERANCE >= w.minShare;
  const allInspected = targets.every(
    (t) => !(t.origin === 'ground' || t.scoreMax >= s.policy.reviewThreshold) || !['detected', 'planned', 'needs_revisit'].includes(t.status),
  );
  const allVerified = targets.every((t) => t.status !== 'confirmed' && t.status !== 'eradicated');
  const noReview = targets.every((t) => t.review === null);
  // Desk dismissals, checked apart: each one owed a visit is accepted by the policy and not drawn for audit; drawn ones inspected; the sample full.
  // Model dismissals likewise under policy.model_dismissal (not allowed when the season does not set it).
  const dismissalsOk = (status: Target['status'], kind: 'desk' | 'model', dp: DismissalPolicy) => {
    const pool = targets.filter((t) => t.desk && (t.desk.kind === 'model') === (kind === 'model'));
    return (
      targets.every(
        (t) =>
          t.status !== status ||
          (!t.groundAudit &&
            (!(t.origin === 'ground' || t.scoreMax >= s.policy.reviewThreshold) || (dp.allowed && t.origin === 'scan' && t.scoreMax <= dp.maxScore))),
      ) &&
      (!dp.allowed || pool.filter((t) => t.groundAudit).length >= Math.min(pool.length, Math.max(dp.auditMin, Math.ceil(dp.auditShare * pool.length - 1e-9))))
    );
  };
  const deskOk = dismissalsOk('dismissed_desk', 'desk', s.policy.deskDismissal);
  const modelOk = dismissalsOk('dismissed_model', 'model', s.policy.modelDismissal ?? { allowed: false, maxScore: 0.5, auditMin: 3, auditShare: 0.1 });
  return covOk && allInspected && allVerified && noReview && deskOk && modelOk;
}

describe('certification property', () => {
  it('never passes when any rule fails, and passes when all hold', () => {
    fc.assert(
      fc.property(arbWorld, (w) => {
        const s = parseSeason({
          id: '2026',
          year: 2026,
          policy: { min_coverage_share: w.minShare, desk_dismissal: w.desk, ...(w.model ? { model_dismissal: w.model } : {}) },
        });
        const z = worldZone(w);
        const cov = computeCoverage(z, worldFootprints(w), { floweringStart: s.floweringStart, floweringEnd: s.floweringEnd, maxGsdM: s.policy.maxGsdM });
        const targets = worldTargets(w);
        const res = evaluateCertification({ zone: { id: 'Z', geometry: z }, season: s, coverage: cov, targets });
        const expected = expectedCertifiable(w, s, cov.share, targets);
        expect(res.certifiable).toBe(expected);
        if (!expected) expect(res.rules.some((r) => !r.pass && (r.failing.length > 0 || r.id === 'coverage'))).toBe(true);
        for (const r of res.rules) if (!r.pass && r.id !== 'coverage') expect(r.failing.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
