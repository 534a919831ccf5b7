/**
 * The evidence a certificate rests on, typed and versioned. A certificate carries its evidence and the sha256 of
 * its canonical JSON (`evidenceDigest`); verifying it recomputes the evidence from the workspace and compares
 * digests. So the evidence of a version must be computed the same way for as long as certificates of that
 * version exist, whatever the program learns later:
 *
 * - A released version's schema and builder are never edited. A change to what evidence holds or how a value is
 *   written adds a version: its schema (with `version: <n>`), its builder, an entry in {@link EVIDENCE_VERSIONS},
 *   and {@link CURRENT_EVIDENCE_VERSION} moves to it. Verifying an older certificate uses that certificate's own
 *   version's builder.
 * - Version 1 has no `version` key (every certificate issued before versions existed): its digest stays what it was.
 *   It gained fields before versions existed (evidence-added-fields.ts); its `asCertified` leaves them out of the
 *   workspace's evidence for a certificate issued without them.
 * - `certificate-evidence.test.ts` keeps a certificate issued by version 1 (fixtures/certificate-v1.json) and checks
 *   that it still verifies against a workspace rebuilt from the same inputs.
 */
import { seasonToFile, type CoverageResult, type Season, type Target } from '@tiandi/geo';
import { z } from 'zod';
import { StoreError } from './errors';
import { evidenceAsCertified } from './evidence-added-fields';
import { asMulti, type ZoneRecord } from './rows';

const LonLat = z.array(z.number()).min(2).max(3);
const MultiPolygon = z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(LonLat))) });

/** A person's or an adopted verifier's dismissal of a target, as the workspace keeps it (geo's `DeskDecision`). */
const DeskDecisionV1 = z.looseObject({
  by: z.string(),
  kind: z.enum(['desk', 'model']).optional(),
  at: z.string().nullable(),
  reason: z.string(),
  seasonId: z.string().nullable(),
  modelVersions: z.array(z.string()),
  scoreMax: z.number().nullable(),
});

/** Version 1: the zone, the season file, the images used, coverage figures, the targets touching the zone and their reports. */
export const EvidenceV1 = z.strictObject({
  zone: z.strictObject({ id: z.string(), level: z.enum(['county', 'township', 'village']), geometry: MultiPolygon }),
  /** The season as `seasonToFile` writes it (window and policy). */
  season: z.record(z.string(), z.unknown()),
  images: z.array(z.strictObject({ image_id: z.string(), sha256: z.string().nullable(), gsd_m: z.number(), acquired: z.string().nullable() })),
  coverage: z.strictObject({ share: z.number(), covered_area_m2: z.number(), zone_area_m2: z.number() }),
  targets: z.array(
    z.strictObject({
      id: z.string(),
      status: z.string(),
      origin: z.enum(['scan', 'ground']),
      missed_by_scan: z.boolean(),
      score_max: z.number(),
      sources: z.array(z.string()),
      report_ids: z.array(z.string()),
      eradicated_at: z.string().nullable(),
      review: z.strictObject({ reason: z.string(), reportIds: z.array(z.string()) }).nullable(),
      /** Only where there is a desk decision, so evidence without one digests as before desk decisions existed. */
      desk: DeskDecisionV1.optional(),
      ground_audit: z.boolean().optional(),
    }),
  ),
  reports: z.array(z.strictObject({ report_id: z.string(), content_sha256: z.string().nullable() })),
});
export type EvidenceV1 = z.infer<typeof EvidenceV1>;

/** The evidence of any version this program can verify. */
export type CertificateEvidence = EvidenceV1;

/** What every version's evidence is computed from: one zone × season in the workspace now. */
export interface EvidenceInput {
  zone: ZoneRecord;
  season: Season;
  coverage: CoverageResult;
  /** The footprints coverage used. */
  images: { imageId: string; sha256: string | null; gsdM: number; acquired: string | null }[];
  targets: Target[];
  /** Content sha256 of each report applied to those targets (null when the row is gone), by report id. */
  reportSha256: ReadonlyMap<string, string | null>;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function buildEvidenceV1(input: EvidenceInput): EvidenceV1 {
  const { zone, season, coverage, images, targets } = input;
  const reportIds = [...new Set(targets.flatMap((t) => t.reportIds))].sort();
  return {
    zone: { id: zone.zoneId, level: zone.level, geometry: asMulti(zone.geometry) as z.infer<typeof MultiPolygon> },
    season: seasonToFile(season),
    images: images.map((f) => ({ image_id: f.imageId, sha256: f.sha256, gsd_m: f.gsdM, acquired: f.acquired })),
    coverage: { share: round(coverage.share, 6), covered_area_m2: round(coverage.coveredAreaM2, 1), zone_area_m2: round(coverage.zoneAreaM2, 1) },
    targets: targets.map((t) => ({
      id: t.id,
      status: t.status,
      origin: t.origin,
      missed_by_scan: t.missedByScan,
      score_max: t.scoreMax,
      sources: t.sources,
      report_ids: t.reportIds,
      eradicated_at: t.eradicatedAt,
      review: t.review,
      // Only where there is a desk decision, so the digest of evidence without any stays what it was.
      ...(t.desk ? { desk: t.desk as z.infer<typeof DeskDecisionV1>, ground_audit: t.groundAudit === true } : {}),
    })),
    reports: reportIds.map((id) => ({ report_id: id, content_sha256: input.reportSha256.get(id) ?? null })),
  };
}

/** How one version's evidence is read, built and compared. */
export interface EvidenceVersion {
  schema: z.ZodType<CertificateEvidence>;
  build: (input: EvidenceInput) => CertificateEvidence;
  /**
   * The workspace's evidence as a certificate of this version holds it, where the version gained fields after some of
   * its certificates were issued (version 1 only: evidence-added-fields.ts). A new version never needs one.
   */
  asCertified?: (now: CertificateEvidence, certified: unknown) => CertificateEvidence;
}

/** Every version this program can build and check. Released entries are never edited. */
export const EVIDENCE_VERSIONS: Readonly<Record<number, EvidenceVersion>> = Object.freeze({
  1: { schema: EvidenceV1, build: buildEvidenceV1, asCertified: evidenceAsCertified },
});

/** The version new certificates are issued with. */
export const CURRENT_EVIDENCE_VERSION = 1;

/** The version of a certificate's evidence: its `version` key, 1 when it has none (or no evidence at all). */
export function evidenceVersionOf(evidence: unknown): number {
  const v = (evidence as { version?: unknown } | null | undefined)?.version;
  return v === undefined ? 1 : typeof v === 'number' && Number.isInteger(v) ? v : Number.NaN;
}

function versionEntry(version: number) {
  const entry = EVIDENCE_VERSIONS[version];
  if (!entry) {
    throw new StoreError(
      'TIANDI_E_INPUT',
      `证书证据版本 ${version} 未知 certificate evidence version ${version} is unknown to this program (it knows 1–${CURRENT_EVIDENCE_VERSION}); 请更新 Tiandi update Tiandi to verify it`,
      undefined,
      'evidence.version',
    );
  }
  return entry;
}

/** Computes the evidence of `version` (default: the current one) for a zone × season. */
export function buildEvidence(input: EvidenceInput, version: number = CURRENT_EVIDENCE_VERSION): CertificateEvidence {
  return versionEntry(version).build(input);
}

/**
 * The workspace's evidence now (built in the certificate's version) as that certificate holds it: what the
 * certificate's digest is compared with when it is verified.
 */
export function evidenceAsCertifiedBy(now: CertificateEvidence, certified: unknown): CertificateEvidence {
  const entry = versionEntry(evidenceVersionOf(certified));
  return entry.asCertified ? entry.asCertified(now, certified) : now;
}

/**
 * Reads a certificate's evidence by its own version's schema, typed; throws `TIANDI_E_INPUT` naming the first field
 * that does not fit (a hand-edited or truncated certificate file) or an unknown version.
 */
export function parseEvidence(evidence: unknown): { version: number; evidence: CertificateEvidence } {
  const version = evidenceVersionOf(evidence);
  const parsed = versionEntry(version).schema.safeParse(evidence);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['evidence', ...issue.path.map(String)].join('.');
    throw new StoreError('TIANDI_E_INPUT', `证书证据无效 certificate evidence does not fit version ${version}: ${field}: ${issue.message}`, undefined, field);
  }
  return { version, evidence: parsed.data };
}
