import { matchReport, type GroundReport, type ReportMatch, type Target, type TargetIndex } from '@tiandi/geo';

/** A match found by position on a target outside the reporting team's scope: recorded, not applied. */
export interface OutOfScopeMatch {
  kind: 'out_of_scope';
  targetId: string;
  distanceM: number;
}

/**
 * Matches a report like {@link matchReport}, within a team's scope when one is given (the targets
 * the team was assigned or reported on). A report matched by position prefers the team's own
 * targets; when only another team's target is in reach, the result is `out_of_scope`, so the report
 * is kept but never changes that target. Matches by id are the caller's to check (403 upstream).
 */
export function matchReportInScope(
  report: Pick<GroundReport, 'targetId' | 'position' | 'accuracyM'>,
  targets: Target[] | TargetIndex,
  marginM: number,
  scope?: ReadonlySet<string>,
): ReportMatch | OutOfScopeMatch {
  const m = matchReport(report, targets, marginM);
  if (!scope || m.kind !== 'by_position' || scope.has(m.targetId)) return m;
  const own = matchReport(report, targets, marginM, (t) => scope.has(t.id));
  if (own.kind === 'by_position') return own;
  return { kind: 'out_of_scope', targetId: m.targetId, distanceM: m.distanceM };
}

/** The target flagged for review because another team's report fell on it (status and history kept). */
export function flagOutOfScope(target: Target, report: Pick<GroundReport, 'reportId' | 'team' | 'verdict'>): { target: Target; reason: string } {
  const reason = `外组报告 report ${report.reportId} (${report.verdict}) by team ${report.team ?? '?'} fell on this target, which is not that team's: recorded, not applied — check it`;
  const reportIds = [...new Set([...(target.review?.reportIds ?? []), report.reportId])];
  return { target: { ...target, review: { reason: target.review?.reason ?? reason, reportIds } }, reason };
}
