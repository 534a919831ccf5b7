import type { Feature, FeatureCollection, Polygonal, RuleResult } from '@tiandi/geo';
import { z } from 'zod';

/** One row of the manager's zone tree (`GET /api/manager/zones`): the figures a manager scans to see what is done and why not. */
export interface ZoneStatus {
  zoneId: string;
  name: string | null;
  /** The romanised name, for an English UI (null when the data has none). */
  namePinyin: string | null;
  level: 'county' | 'township' | 'village';
  parentId: string | null;
  areaM2: number;
  coverageShare: number | null;
  targetsByStatus: Record<string, number>;
  confirmed: number;
  eradicated: number;
  /** Targets still owing something (not inspected, not verified, under review). */
  openItems: number;
  certifiable: boolean | null;
  failingRules: string[];
  certificate: { certId: string; status: CertificateStatus; issuedAt: string; statusReason: string | null } | null;
  /** Set when the zone could not be evaluated (e.g. no season yet). */
  error?: string;
}

/** Where a certificate stands: issued, stale (evidence changed since) or revoked. */
export type CertificateStatus = 'issued' | 'stale' | 'revoked';

/** A certificate as the manager's lists show it (the whole one: `GET /api/manager/certificates/:certId`). */
export interface CertificateSummary {
  certId: string;
  zoneId: string;
  zoneName: string | null;
  seasonId: string;
  status: CertificateStatus;
  statusReason: string | null;
  signedBy: string;
  issuedAt: string;
  evidenceDigest: string;
  coverageShare: number;
}

/** `GET /api/manager/zones/:id`: one zone's evaluation — every rule with its failing features, gaps, targets, certificates. */
export interface ZoneDetail {
  status: ZoneStatus;
  season: { id: string; name: string; floweringStart: string; floweringEnd: string };
  /** Names of the zones above it, county first. */
  parents: string[];
  /** The same, romanised where the data has name_pinyin. */
  parentsPinyin: string[];
  zone: Feature<Polygonal, { zone_id: string; name: string | null; level: ZoneStatus['level'] }>;
  coverage: { share: number; zoneAreaM2: number; coveredAreaM2: number; gapAreaM2: number; usedImageIds: string[]; rejected: unknown[] };
  gaps: FeatureCollection<Polygonal, { gap_area_m2: number }>;
  targets: FeatureCollection<
    Polygonal,
    {
      target_id: string;
      status: string;
      origin: string;
      missed_by_scan: boolean;
      score_max: number;
      area_m2: number;
      review: string | null;
      report_ids: string[];
    }
  >;
  rules: RuleResult[];
  certifiable: boolean;
  evidenceDigest: string;
  certificates: CertificateSummary[];
}

/** `POST /api/manager/zones/:id/certify` body: the season (default: the current one). */
export const CertifyBody = z.strictObject({ season: z.string().min(1).max(100).optional() });
export type CertifyBody = z.infer<typeof CertifyBody>;

/** `POST /api/manager/certificates/:certId/revoke` body: why. */
export const RevokeBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export type RevokeBody = z.infer<typeof RevokeBody>;
