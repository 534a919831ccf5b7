import type { Geometry, Polygon, MultiPolygon } from 'geojson';

/** One rule of the season's policy as evaluated for the certificate. */
export interface CertificateRule {
  id: string;
  /** Rule text, Chinese first then English. */
  label: string;
  pass: boolean;
  /** Measured value against its threshold, e.g. "99.2 % ≥ 98 %". */
  detail: string;
  /** Number of failing features (0 when it passes). */
  failingCount?: number;
}

/** One target drawn on the certificate's map. */
export interface CertificateTarget {
  id: string;
  status: string;
  geometry: Geometry;
}

/** Everything the certificate PDF shows. All geometry in WGS 84 [lon, lat]. */
export interface CertificatePdfInput {
  certificateId: string;
  zone: { id: string; name: string; level: string; parentNames?: string[]; geometry: Polygon | MultiPolygon };
  season: { id: string; name: string; windowStart?: string; windowEnd?: string };
  issuedAt: string;
  signedBy: string;
  /** sha256 (hex) of all the evidence the certificate rests on. */
  evidenceDigest: string;
  /** Key figures: label (Chinese, then English) and value. */
  figures: { label: string; value: string }[];
  rules: CertificateRule[];
  /** Coverage gaps (parts of the zone not seen by valid imagery). */
  gaps?: (Polygon | MultiPolygon)[];
  targets?: CertificateTarget[];
  /** `valid`, or `revoked` / `stale` with a reason, printed across the page. */
  state?: { status: 'valid' | 'revoked' | 'stale'; reason?: string };
}
