import {
  bboxOf,
  digestOf,
  evaluateCertification,
  polygonsIntersect,
  seasonToFile,
  summarizeDeskDecisions,
  type CertificationResult,
  type CoverageResult,
  type DeskSummary,
  type Polygonal,
  type Season,
  type Target,
} from '@tiandi/geo';
import { buildEvidence, CURRENT_EVIDENCE_VERSION, evidenceAsCertifiedBy, evidenceVersionOf, type CertificateEvidence } from './certificate-evidence';
import { drawGroundAuditSample } from './ground-audit-sample';
import { StoreError } from './errors';
import { asMulti, readSeason, readTargets, readZone, type ZoneRecord } from './rows';
import { readFootprints, zoneCoverage } from './zone-coverage';
import { dbOf, type Workspace } from './workspace';

/** Everything a certification decision rests on, and the result of every rule. */
export interface ZoneEvaluation {
  zone: ZoneRecord;
  season: Season;
  coverage: CoverageResult;
  targets: Target[];
  result: CertificationResult;
  /** The evidence the digest is computed over (canonical JSON → sha256), in the version asked for (default: current). */
  evidence: CertificateEvidence;
  evidenceDigest: string;
}

/** A zero-cultivation certificate as stored and printed. */
export interface Certificate {
  certId: string;
  zoneId: string;
  zoneName: string | null;
  seasonId: string;
  status: 'issued' | 'stale' | 'revoked';
  statusReason: string | null;
  signedBy: string;
  issuedAt: string;
  evidenceDigest: string;
  coverage: { share: number; zoneAreaM2: number; coveredAreaM2: number; gapAreaM2: number; imageCount: number };
  rules: CertificationResult['rules'];
  zone: Polygonal;
  gaps: Polygonal | null;
  targets: {
    id: string;
    status: string;
    origin: string;
    missedByScan: boolean;
    scoreMax: number;
    geometry: Polygonal;
    deskBy?: string | null;
    groundAudit?: boolean;
  }[];
  /** Desk dismissals apart from ground inspections: how many, by whom, on which model versions, how many audited (absent on certificates issued before issue 17). */
  deskDecisions?: DeskSummary;
  season: Record<string, unknown>;
  /**
   * The evidence itself: sha256 of its canonical JSON is `evidenceDigest`, so anyone can re-check it offline. Typed
   * and versioned (certificate-evidence.ts): a certificate verifies by its own version's rules, whatever came later.
   */
  evidence: CertificateEvidence;
}

/** Targets whose outline touches the zone. */
export function targetsInZone(ws: Workspace, zone: Polygonal): Target[] {
  const [a, b, c, d] = bboxOf(zone);
  return readTargets(ws).filter((t) => {
    const [x0, y0, x1, y1] = bboxOf(t.geometry);
    return !(x0 > c || x1 < a || y0 > d || y1 < b) && polygonsIntersect(zone, t.geometry);
  });
}

/**
 * Evaluates every rule for a zone × season and computes the evidence digest (read-only), the evidence in
 * `evidenceVersion` (default: the version new certificates get; an older one to verify an older certificate).
 */
export function evaluateZone(ws: Workspace, zoneId: string, seasonId?: string, evidenceVersion: number = CURRENT_EVIDENCE_VERSION): ZoneEvaluation {
  const { zone, season, coverage } = zoneCoverage(ws, zoneId, seasonId);
  const targets = targetsInZone(ws, zone.geometry);
  const result = evaluateCertification({ zone: { id: zone.zoneId, geometry: zone.geometry }, season, coverage, targets });
  const used = new Set(coverage.usedImageIds);
  const reportRow = dbOf(ws).prepare('SELECT content_sha256 FROM reports WHERE report_id = ?');
  const reportSha256 = new Map(
    targets.flatMap((t) => t.reportIds).map((id) => [id, (reportRow.get(id) as { content_sha256: string } | undefined)?.content_sha256 ?? null]),
  );
  const images = readFootprints(ws).filter((f) => used.has(f.imageId));
  const evidence = buildEvidence({ zone, season, coverage, images, targets, reportSha256 }, evidenceVersion);
  return { zone, season, coverage, targets, result, evidence, evidenceDigest: digestOf(evidence) };
}

/**
 * Certifies a zone for a season, signed by `signer`: issues a certificate only when every rule passes
 * (one transaction, audited; an earlier certificate of the same zone × season is superseded). When a rule
 * fails, nothing is issued and the refusal is audited. Certifying again on unchanged evidence returns the
 * same certificate.
 */
export function certifyZone(
  ws: Workspace,
  args: { zoneId: string; seasonId?: string; signer: string },
  actor: string,
): { evaluation: ZoneEvaluation; certificate: Certificate | null } {
  if (!args.signer.trim()) throw new StoreError('TIANDI_E_INPUT', '需要签发人 a signer name is required', undefined, 'sign');
  return ws.write(actor, (audit) => {
    // Desk dismissals made before the season accepted them, or before this zone was certified, get their ground-audit draw now.
    const season = readSeason(ws, args.seasonId),
      zone = readZone(ws, args.zoneId);
    drawGroundAuditSample(ws, season, [zone], audit);
    drawGroundAuditSample(ws, season, [zone], audit, 'model');
    const ev = evaluateZone(ws, args.zoneId, args.seasonId);
    const subject = `${ev.zone.zoneId}/${ev.season.id}`;
    if (!ev.result.certifiable) {
      audit('certificate.refused', subject, { failing_rules: ev.result.rules.filter((r) => !r.pass).map((r) => r.id), evidence_digest: ev.evidenceDigest });
      return { evaluation: ev, certificate: null };
    }
    const same = dbOf(ws)
      .prepare(`SELECT certificate_json FROM certifications WHERE zone_id = ? AND season_id = ? AND status = 'issued' AND evidence_digest = ?`)
      .get(ev.zone.zoneId, ev.season.id, ev.evidenceDigest) as { certificate_json: string } | undefined;
    if (same) return { evaluation: ev, certificate: JSON.parse(same.certificate_json) as Certificate };
    for (const old of dbOf(ws)
      .prepare(`SELECT cert_id FROM certifications WHERE zone_id = ? AND season_id = ? AND status IN ('issued','stale')`)
      .all(ev.zone.zoneId, ev.season.id) as { cert_id: string }[]) {
      dbOf(ws)
        .prepare(`UPDATE certifications SET status = 'revoked', status_reason = ?, status_at = ? WHERE cert_id = ?`)
        .run('被新证书取代 superseded by a new certificate', ws.now(), old.cert_id);
      audit('certificate.revoke', old.cert_id, { reason: 'superseded' });
    }
    const issuedAt = ws.now();
    const cert: Certificate = {
      certId: `C-${ev.zone.zoneId}-${ev.season.id}-${ev.evidenceDigest.slice(0, 12)}`,
      zoneId: ev.zone.zoneId,
      zoneName: ev.zone.name,
      seasonId: ev.season.id,
      status: 'issued',
      statusReason: null,
      signedBy: args.signer,
      issuedAt,
      evidenceDigest: ev.evidenceDigest,
      coverage: {
        share: ev.coverage.share,
        zoneAreaM2: ev.coverage.zoneAreaM2,
        coveredAreaM2: ev.coverage.coveredAreaM2,
        gapAreaM2: ev.coverage.gapAreaM2,
        imageCount: ev.coverage.usedImageIds.length,
      },
      rules: ev.result.rules,
      zone: asMulti(ev.zone.geometry),
      gaps: ev.coverage.gaps,
      targets: ev.targets.map((t) => ({
        id: t.id,
        status: t.status,
        origin: t.origin,
        missedByScan: t.missedByScan,
        scoreMax: t.scoreMax,
        geometry: t.geometry,
        ...(t.desk ? { deskBy: t.desk.by, groundAudit: t.groundAudit === true } : {}),
      })),
      deskDecisions: summarizeDeskDecisions(ev.targets),
      season: seasonToFile(ev.season),
      evidence: ev.evidence,
    };
    const g = asMulti(ev.zone.geometry);
    dbOf(ws)
      .prepare(
        `INSERT INTO certifications (geom, cert_id, zone_id, season_id, status, signed_by, issued_at, evidence_digest, coverage_share, status_reason, status_at, certificate_json) VALUES (?, ?, ?, ?, 'issued', ?, ?, ?, ?, NULL, NULL, ?)`,
      )
      .run(ws.blob(g), cert.certId, cert.zoneId, cert.seasonId, cert.signedBy, issuedAt, cert.evidenceDigest, cert.coverage.share, JSON.stringify(cert));
    ws.extendLayer('certifications', g);
    audit('certificate.issue', cert.certId, { zone_id: cert.zoneId, season_id: cert.seasonId, signed_by: cert.signedBy, evidence_digest: cert.evidenceDigest });
    return { evaluation: ev, certificate: cert };
  });
}

/** The stored certificates (newest first), optionally for one zone and season; status kept current. */
export function listCertificates(ws: Workspace, filter: { zoneId?: string; seasonId?: string } = {}): Certificate[] {
  const rows = dbOf(ws)
    .prepare(
      `SELECT certificate_json, status, status_reason FROM certifications WHERE (? IS NULL OR zone_id = ?) AND (? IS NULL OR season_id = ?) ORDER BY fid DESC`,
    )
    .all(filter.zoneId ?? null, filter.zoneId ?? null, filter.seasonId ?? null, filter.seasonId ?? null) as {
    certificate_json: string;
    status: Certificate['status'];
    status_reason: string | null;
  }[];
  return rows.map((r) => ({ ...(JSON.parse(r.certificate_json) as Certificate), status: r.status, statusReason: r.status_reason }));
}

/** Revokes the current (issued or stale) certificate of a zone × season, with a reason (audited). */
export function revokeCertificate(ws: Workspace, args: { zoneId: string; seasonId: string; reason: string }, actor: string): Certificate {
  if (!args.reason.trim()) throw new StoreError('TIANDI_E_INPUT', '撤销需要理由 revoking needs a reason (--reason)', undefined, 'reason');
  return ws.write(actor, (audit) => {
    const row = dbOf(ws)
      .prepare(`SELECT cert_id FROM certifications WHERE zone_id = ? AND season_id = ? AND status IN ('issued','stale') ORDER BY fid DESC LIMIT 1`)
      .get(args.zoneId, args.seasonId) as { cert_id: string } | undefined;
    if (!row) {
      const revoked = dbOf(ws)
        .prepare(`SELECT cert_id FROM certifications WHERE zone_id = ? AND season_id = ? AND status = 'revoked' ORDER BY fid DESC LIMIT 1`)
        .get(args.zoneId, args.seasonId) as { cert_id: string } | undefined;
      if (revoked) throw new StoreError('TIANDI_E_CONFLICT', `证书 ${revoked.cert_id} 已撤销 is already revoked; nothing to do`, undefined, 'zone');
      throw new StoreError('TIANDI_E_NOT_FOUND', `${args.zoneId}/${args.seasonId} 没有有效证书 has no current certificate to revoke`, undefined, 'zone');
    }
    dbOf(ws)
      .prepare(`UPDATE certifications SET status = 'revoked', status_reason = ?, status_at = ? WHERE cert_id = ?`)
      .run(args.reason, ws.now(), row.cert_id);
    audit('certificate.revoke', row.cert_id, { reason: args.reason });
    return listCertificates(ws, { zoneId: args.zoneId, seasonId: args.seasonId }).find((c) => c.certId === row.cert_id)!;
  });
}

/**
 * Re-checks a certificate: its digest against its own evidence (was the file edited?) and against the
 * evidence in the workspace now (has anything changed since it was signed?).
 */
export function verifyCertificate(
  ws: Workspace,
  cert: Pick<Certificate, 'zoneId' | 'seasonId' | 'evidenceDigest' | 'evidence'>,
): { selfConsistent: boolean; matchesWorkspace: boolean; currentDigest: string } {
  // The workspace's evidence computed the way the certificate's own version computed it, as that version's
  // certificates hold it (version 1 leaves out fields it gained after this certificate was issued, where they still
  // hold their implicit value: evidence-added-fields.ts).
  const now = evaluateZone(ws, cert.zoneId, cert.seasonId, evidenceVersionOf(cert.evidence)).evidence;
  const currentDigest = digestOf(evidenceAsCertifiedBy(now, cert.evidence));
  return {
    selfConsistent: !!cert.evidence && digestOf(cert.evidence) === cert.evidenceDigest,
    matchesWorkspace: currentDigest === cert.evidenceDigest,
    currentDigest,
  };
}
