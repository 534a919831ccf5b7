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

/** `POST /api/manager/zones/:id/certify` body: the season (default: the current one). */
export const CertifyBody = z.strictObject({ season: z.string().min(1).max(100).optional() });
export type CertifyBody = z.infer<typeof CertifyBody>;

/** `POST /api/manager/certificates/:certId/revoke` body: why. */
export const RevokeBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
export type RevokeBody = z.infer<typeof RevokeBody>;
