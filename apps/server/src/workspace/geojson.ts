import { isUnverifiedScan, type Target } from '@tiandi/geo';

/** A GeoJSON Feature. */
export interface Feature<P = Record<string, unknown>> {
  type: 'Feature';
  id?: string;
  geometry: unknown;
  properties: P;
}

/** Wraps features as a FeatureCollection. */
export function featureCollection<P>(features: Feature<P>[]): { type: 'FeatureCollection'; features: Feature<P>[] } {
  return { type: 'FeatureCollection', features };
}

/** The zone a target lies in: its id and name. */
export type ZoneOf = (t: Target) => { zoneId: string; name: string | null; namePinyin?: string | null; level?: string } | null;

/** A target as a GeoJSON feature with the properties the web app sorts and styles by. */
export function targetFeature(t: Target, zoneOf?: ZoneOf): Feature {
  const zone = zoneOf ? zoneOf(t) : null;
  return {
    type: 'Feature',
    id: t.id,
    geometry: t.geometry,
    properties: {
      id: t.id,
      status: t.status,
      origin: t.origin,
      missed_by_scan: t.missedByScan,
      score_max: t.scoreMax,
      score_verify: t.scoreVerify ?? null,
      // The verifier score calibrated by its model card (share that was poppy at it); null without a calibration.
      p_poppy: t.pPoppy ?? null,
      // Said outright: some imagery that flagged it was never checked by a second look (a visit is owed whatever score_verify says).
      unverified: isUnverifiedScan(t),
      area_m2: t.areaM2,
      zone: zone?.zoneId ?? null,
      zone_name: zone?.name ?? null,
      zone_name_pinyin: zone?.namePinyin ?? null,
      // The list's village column names a village only; a plot outside every village says so.
      zone_level: zone?.level ?? null,
      review: t.review ? t.review.reason : null,
      sources: t.sources.length,
      reports: t.reportIds.length,
      desk_by: t.desk?.by ?? null,
      desk_reason: t.desk?.reason ?? null,
      ground_audit: t.groundAudit === true,
    },
  };
}
