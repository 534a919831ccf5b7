import { auditSampleSize, deskDismissed, dismissalPolicy, polygonsIntersect, sha256Hex, type DismissalKind, type Season } from '@tiandi/geo';
import { targetsInZone } from './certify-zone';
import { readTarget, readZones, writeTarget, type ZoneRecord } from './rows';
import type { Workspace } from './workspace';

type Audit = (action: string, subject: string, payload?: unknown) => unknown;

/** The draw key of a target in a zone's sample: reproducible by anyone from the ids alone. */
export const auditDrawKey = (seasonId: string, zoneId: string, targetId: string): string => sha256Hex(`tiandi-ground-audit/${seasonId}/${zoneId}/${targetId}`);

/**
 * Tops up the ground-audit sample of desk dismissals (`kind` 'model': of an adopted verifier's dismissals) in each
 * zone (inside the caller's write), when the season accepts them: a zone with n dismissals needs
 * max(audit_min, ⌈audit_share·n⌉) of them (at most n) drawn for a ground visit. Targets once drawn stay drawn; more are
 * drawn in the order of {@link auditDrawKey} (seeded by season, zone and target ids, so the draw is random but
 * reproducible and no one can pick it). Each draw is audited with its key. Returns the target ids drawn now.
 */
export function drawGroundAuditSample(ws: Workspace, season: Season, zones: ZoneRecord[], audit: Audit, kind: DismissalKind = 'desk'): string[] {
  const p = dismissalPolicy(season.policy, kind);
  if (!p.allowed) return [];
  const drawnNow: string[] = [];
  for (const zone of zones) {
    const pool = deskDismissed(targetsInZone(ws, zone.geometry), kind);
    const required = auditSampleSize(pool.length, p);
    const missing = required - pool.filter((t) => t.groundAudit).length;
    if (missing <= 0) continue;
    const ranked = pool
      .filter((t) => !t.groundAudit)
      .map((t) => ({ t, key: auditDrawKey(season.id, zone.zoneId, t.id) }))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
      .slice(0, missing);
    for (const { t, key } of ranked) {
      writeTarget(ws, { ...t, groundAudit: true });
      audit('target.ground_audit', t.id, {
        zone_id: zone.zoneId,
        season_id: season.id,
        draw_key: key,
        rule: 'lowest sha256("tiandi-ground-audit/<season>/<zone>/<target>") first',
        dismissals: pool.length,
        required,
        reviewer: t.desk?.by ?? null,
        ...(kind === 'model' ? { kind } : {}),
      });
      drawnNow.push(t.id);
    }
  }
  return drawnNow;
}

/** Zones (every level) whose outline touches any of the given targets' outlines. */
export function zonesTouching(ws: Workspace, targetIds: string[]): ZoneRecord[] {
  const outlines = targetIds.map((id) => readTarget(ws, id).geometry);
  return readZones(ws).filter((z) => outlines.some((g) => polygonsIntersect(z.geometry, g)));
}
