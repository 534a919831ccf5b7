import type { CoverageResult } from './coverage';
import { polygonsOf, type Feature, type Polygonal } from './geojson';
import { geodesicAreaM2 } from './geodesic-area';
import { ruleFeature } from './rule-feature';
import type { Season } from './season';
import { isUnverifiedScan, type Target } from './target';
import {
  auditSampleState,
  deskDismissalFault,
  deskDismissed,
  deskFeature,
  dismissalPolicy,
  dismissalStatus,
  owesGroundAnswer,
  type DismissalKind,
} from './desk-dismissals';

/** Rounding slack on the coverage share, so a fully covered zone passes a policy asking for 100 %. */
export const COVERAGE_TOLERANCE = 1e-9;

export type RuleId = 'coverage' | 'targets_resolved' | 'desk_dismissals' | 'model_dismissals' | 'eradication_verified' | 'no_open_review';

/** One rule of the season's policy, evaluated: pass/fail, a one-line detail and the features that fail it. */
export interface RuleResult {
  id: RuleId;
  /** Chinese first, English beside it. */
  title: string;
  pass: boolean;
  detail: string;
  failing: Feature<Polygonal, Record<string, unknown>>[];
}

export interface CertificationInput {
  zone: { id: string; geometry: Polygonal };
  season: Season;
  coverage: CoverageResult;
  /** Every target inside or touching the zone. */
  targets: Target[];
}

export interface CertificationResult {
  zoneId: string;
  seasonId: string;
  /** True only when every rule passes. */
  certifiable: boolean;
  rules: RuleResult[];
}

const OPEN = new Set(['detected', 'planned', 'needs_revisit']);

const targetFeature = (t: Target, why: string): Feature<Polygonal, Record<string, unknown>> =>
  ruleFeature(t, why, { missed_by_scan: t.missedByScan, unverified: isUnverifiedScan(t) });

/**
 * Evaluates every rule of the season's policy for a zone (ARCHITECTURE "Certification"):
 * coverage ≥ the required share; every target at or above the review score (and every ground finding)
 * inspected; desk dismissals only where the policy accepts them, its ground-audit sample drawn and inspected; every confirmed plot eradicated and the eradication verified on a later visit; no target
 * under review. The zone is certifiable only when all pass.
 */
export function evaluateCertification(input: CertificationInput): CertificationResult {
  const { season, coverage, targets } = input;
  const p = season.policy;
  const pct = (x: number) => (x * 100).toFixed(2) + '%';

  const gaps = coverage.gaps
    ? polygonsOf(coverage.gaps)
        .map((poly, i) => {
          const g: Polygonal = { type: 'Polygon', coordinates: poly };
          return {
            type: 'Feature' as const,
            id: `gap-${i + 1}`,
            geometry: g,
            properties: { gap: i + 1, area_m2: Math.round(geodesicAreaM2(g) * 10) / 10 } as Record<string, unknown>,
          };
        })
        .sort((a, b) => (b.properties.area_m2 as number) - (a.properties.area_m2 as number))
    : [];
  const covPass = coverage.share + COVERAGE_TOLERANCE >= p.minCoverageShare;
  const rules: RuleResult[] = [
    {
      id: 'coverage',
      title: '花期影像覆盖 flowering-season imagery coverage',
      pass: covPass,
      detail: `${pct(coverage.share)} 覆盖 covered (需要 required ≥ ${pct(p.minCoverageShare)}, GSD ≤ ${p.maxGsdM} m, ${season.floweringStart}…${season.floweringEnd}); ${coverage.usedImageIds.length} images`,
      failing: covPass ? [] : gaps,
    },
  ];

  const needsVisit = targets.filter((t) => owesGroundAnswer(t, p) && OPEN.has(t.status));
  // Unverified targets are named apart: their first-stage score was never checked by a second look, so a visit is
  // owed on each at or above the threshold whatever verifier score another of its candidates got.
  const unverifiedOwed = needsVisit.filter(isUnverifiedScan).length;
  const unverifiedBelow = targets.filter((t) => isUnverifiedScan(t) && OPEN.has(t.status) && !owesGroundAnswer(t, p)).length;
  rules.push({
    id: 'targets_resolved',
    title: '疑似地块均已实地核查 every suspect plot inspected',
    pass: needsVisit.length === 0,
    detail:
      `${needsVisit.length} 个待核查 awaiting a ground visit (score ≥ ${p.reviewThreshold})` +
      (unverifiedOwed
        ? `; 其中 ${unverifiedOwed} 个未经复核 of them ${unverifiedOwed} unverified (first stage only, not checked by a second look: each needs a visit)`
        : '') +
      (unverifiedBelow ? `; ${unverifiedBelow} 个未经复核且低于阈值 unverified below the threshold` : ''),
    failing: needsVisit.map((t) => targetFeature(t, isUnverifiedScan(t) ? 'not inspected; unverified by the second stage' : 'not inspected')),
  });

  rules.push(deskDismissalsRule(targets, season, 'desk'));
  // Listed where an adopted adapted verifier dismissed anything here, or the season sets its terms (other zones'
  // rule tables, and certificates issued before, keep their five rules).
  if (season.policy.modelDismissal || targets.some((t) => t.status === 'dismissed_model' || t.desk?.kind === 'model'))
    rules.push(deskDismissalsRule(targets, season, 'model'));

  const unverified = targets.filter((t) => t.status === 'confirmed' || (p.requireEradicationVerified && t.status === 'eradicated'));
  rules.push({
    id: 'eradication_verified',
    title: '确认地块均已铲除并复核 every confirmed plot eradicated and verified',
    pass: unverified.length === 0,
    detail: `${unverified.filter((t) => t.status === 'confirmed').length} 未铲除 not eradicated, ${unverified.filter((t) => t.status === 'eradicated').length} 未复核 not verified`,
    failing: unverified.map((t) => targetFeature(t, t.status === 'confirmed' ? 'not eradicated' : 'eradication not verified')),
  });

  const review = targets.filter((t) => t.review !== null);
  rules.push({
    id: 'no_open_review',
    title: '无待裁决的矛盾证据 no contradicting evidence awaiting review',
    pass: review.length === 0,
    detail: `${review.length} 个待裁决 under review`,
    failing: review.map((t) => targetFeature(t, t.review!.reason)),
  });

  return { zoneId: input.zone.id, seasonId: season.id, certifiable: rules.every((r) => r.pass), rules };
}

/**
 * Desk dismissals (or, for `kind` 'model', an adopted adapted verifier's) stand in for a ground visit only where the
 * season's policy says so (allowed, score at most its limit), and only once the zone's ground-audit sample of them is
 * drawn and every drawn target inspected.
 */
function deskDismissalsRule(targets: Target[], season: Season, kind: DismissalKind): RuleResult {
  const p = season.policy;
  const faults = targets
    .filter((t) => t.status === dismissalStatus(kind))
    .map((t) => [t, deskDismissalFault(t, p)] as const)
    .filter((x): x is readonly [Target, string] => x[1] !== null);
  const sample = auditSampleState(targets, p, kind);
  const d = dismissalPolicy(p, kind);
  // The sample is drawn only where dismissals count; where they do not, every owed visit is owed anyway.
  const short = d.allowed && sample.drawn < sample.required;
  const w =
    kind === 'desk'
      ? {
          id: 'desk_dismissals' as const,
          title: '案头排除符合政策 desk dismissals per policy',
          none: '无案头排除 no desk dismissals',
          what: '个案头排除 desk dismissals',
        }
      : {
          id: 'model_dismissals' as const,
          title: '适配模型排除符合政策 adapted-model dismissals per policy',
          none: '无模型排除 no adapted-model dismissals',
          what: '个适配模型排除 dismissed by an adapted verifier',
        };
  return {
    id: w.id,
    title: w.title,
    pass: faults.length === 0 && !short,
    detail:
      sample.dismissals === 0 && faults.length === 0
        ? w.none
        : `${sample.dismissals} ${w.what} (${d.allowed ? `认可至得分 accepted up to score ${d.maxScore}` : '不认可 not accepted'}); 地面抽查 ground audit ${sample.drawn}/${sample.required}${short ? ' 未抽足 sample not drawn' : ''}; ${faults.length} 个不符 not accepted`,
    failing: [
      ...faults.map(([t, why]) => deskFeature(t, why)),
      ...(short
        ? deskDismissed(targets, kind)
            .filter((t) => !t.groundAudit)
            .map((t) => deskFeature(t, '地面抽查未抽足 ground-audit sample not drawn yet'))
        : []),
    ],
  };
}
