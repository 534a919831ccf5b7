import {
  certificateHtml,
  certifyZone,
  evaluateZone,
  listCertificates,
  readAuditLog,
  readZone,
  reportIdsOfTarget,
  revokeCertificate,
  StoreError,
  verifyAudit,
  type Certificate,
} from '@tiandi/store';
import { CertifyBody, RevokeBody, type CertificateSummary, type ZoneDetail } from '@tiandi/api';
import { defineErrorCodes } from '@tiandi/geo';
import { z } from 'zod';
import type { Role, RouteModule } from '../context';
import { certificateToPdfInput } from '../certificate-pdf/certificate-to-pdf-input';
import { renderCertificatePdf } from '../certificate-pdf/render-certificate-pdf';
import { ServerError } from '../errors';
import { parseInput } from '../validate';
import { actorOf, workspaceOf } from '../workspace/workspace-service';
import { parentNames, zoneStatusOf, zoneTree } from './manager-zone-status';

/** Codes the manager API sends besides the shared ones (documented in docs/errors/auth.md). */
export const MANAGER_CODES = defineErrorCodes({
  TIANDI_E_NOT_CERTIFIABLE: { status: 409, summary: "不能认证 Not certifiable: a rule of the season's policy fails" },
});

/** Managers review and decide; admins may look. */
const REVIEW: Role[] = ['manager', 'admin'];
const DECIDE: Role[] = ['manager'];

const SeasonQuery = z.strictObject({ season: z.string().min(1).max(100).optional() });
const ZoneParams = z.strictObject({ id: z.string().min(1).max(200) });
const CertParams = z.strictObject({ certId: z.string().min(1).max(300) });
const AuditQuery = z.strictObject({
  zone: z.string().min(1).max(200).optional(),
  target: z.string().min(1).max(300).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

/**
 * Manager API (issue 7): zone tree with figures, one zone's evaluation (every rule, failing features,
 * gaps, targets), certify (signed by the account), revoke, stale list, certificate PDF and printable
 * page, audit log per zone or target, and chain verification. Every decision is audited with the account.
 */
const manager: RouteModule = {
  name: 'manager',
  register(app, ctx) {
    const ws = () => workspaceOf(ctx);

    app.get('/api/manager/zones', { config: { roles: REVIEW } }, async (req) => {
      const { season } = parseInput(SeasonQuery, req.query, 'query');
      return { zones: wrap(() => zoneTree(ws(), season)) };
    });

    app.get('/api/manager/zones/:id', { config: { roles: REVIEW } }, async (req) => {
      const { id } = parseInput(ZoneParams, req.params, 'params');
      const { season } = parseInput(SeasonQuery, req.query, 'query');
      return zoneDetail(ws(), id, season);
    });

    app.post('/api/manager/zones/:id/certify', { config: { roles: DECIDE } }, async (req, reply) => {
      const { id } = parseInput(ZoneParams, req.params, 'params');
      const body = parseInput(CertifyBody, req.body ?? {});
      const actor = actorOf(req.account);
      const { evaluation, certificate } = wrap(() => certifyZone(ws(), { zoneId: id, seasonId: body.season, signer: actor }, actor));
      if (!certificate) {
        return reply.status(MANAGER_CODES.TIANDI_E_NOT_CERTIFIABLE.status).send({
          code: 'TIANDI_E_NOT_CERTIFIABLE',
          message: `不能认证：${evaluation.result.rules
            .filter((r) => !r.pass)
            .map((r) => r.title)
            .join('；')} Not certifiable: rules fail`,
          rules: evaluation.result.rules,
          evidenceDigest: evaluation.evidenceDigest,
        });
      }
      return reply.status(201).send({ certificate: summary(certificate) });
    });

    app.post('/api/manager/certificates/:certId/revoke', { config: { roles: DECIDE } }, async (req) => {
      const { certId } = parseInput(CertParams, req.params, 'params');
      const { reason } = parseInput(RevokeBody, req.body);
      const cert = findCert(ws(), certId);
      if (cert.status === 'revoked') throw new ServerError('TIANDI_E_CONFLICT', `证书已撤销 certificate already revoked`, { field: 'certId' });
      const out = wrap(() => revokeCertificate(ws(), { zoneId: cert.zoneId, seasonId: cert.seasonId, reason }, actorOf(req.account)));
      return { certificate: summary(out) };
    });

    app.get('/api/manager/certificates', { config: { roles: REVIEW } }, async (req) => {
      const q = parseInput(
        z.strictObject({ status: z.enum(['issued', 'stale', 'revoked']).optional(), season: z.string().min(1).max(100).optional() }),
        req.query,
        'query',
      );
      return {
        certificates: listCertificates(ws(), { seasonId: q.season })
          .filter((c) => !q.status || c.status === q.status)
          .map(summary),
      };
    });

    app.get('/api/manager/certificates/:certId/pdf', { config: { roles: REVIEW } }, async (req, reply) => {
      const { certId } = parseInput(CertParams, req.params, 'params');
      const cert = findCert(ws(), certId);
      const pdf = await certificatePdf(ws(), cert);
      void reply.header('content-disposition', `attachment; filename="${encodeURIComponent(cert.certId)}.pdf"`);
      return reply.type('application/pdf').send(pdf);
    });

    app.get('/api/manager/certificates/:certId/page', { config: { roles: REVIEW } }, async (req, reply) => {
      const { certId } = parseInput(CertParams, req.params, 'params');
      return reply.type('text/html; charset=utf-8').send(certificateHtml(findCert(ws(), certId)));
    });

    app.get('/api/manager/audit', { config: { roles: REVIEW } }, async (req) => {
      return auditEntries(ws(), parseInput(AuditQuery, req.query, 'query'));
    });

    app.post('/api/manager/audit/verify', { config: { roles: REVIEW } }, async () => ({ verdict: verifyAudit(ws()) }));
  },
};
export default manager;

type Ws = ReturnType<typeof workspaceOf>;

/** One zone's evaluation for the manager: status, season, parents, outline, coverage and gaps, targets, rules and certificates. */
function zoneDetail(ws: Ws, id: string, season: string | undefined): ZoneDetail {
  const ev = wrap(() => evaluateZone(ws, id, season));
  const certs = listCertificates(ws, { zoneId: id, seasonId: ev.season.id });
  const current = certs.find((c) => c.status !== 'revoked') ?? null;
  return {
    status: zoneStatusOf(
      ev,
      current ? { certId: current.certId, status: current.status, issuedAt: current.issuedAt, statusReason: current.statusReason } : null,
    ),
    season: { id: ev.season.id, name: ev.season.name, floweringStart: ev.season.floweringStart, floweringEnd: ev.season.floweringEnd },
    parents: parentNames(ws, id),
    parentsPinyin: parentNames(ws, id, true),
    zone: { type: 'Feature', id, geometry: ev.zone.geometry, properties: { zone_id: id, name: ev.zone.name, level: ev.zone.level } },
    coverage: {
      share: ev.coverage.share,
      zoneAreaM2: ev.coverage.zoneAreaM2,
      coveredAreaM2: ev.coverage.coveredAreaM2,
      gapAreaM2: ev.coverage.gapAreaM2,
      usedImageIds: ev.coverage.usedImageIds,
      rejected: ev.coverage.rejected,
    },
    gaps: {
      type: 'FeatureCollection',
      features: ev.coverage.gaps ? [{ type: 'Feature', geometry: ev.coverage.gaps, properties: { gap_area_m2: ev.coverage.gapAreaM2 } }] : [],
    },
    targets: {
      type: 'FeatureCollection',
      features: ev.targets.map((t) => ({
        type: 'Feature',
        id: t.id,
        geometry: t.geometry,
        properties: {
          target_id: t.id,
          status: t.status,
          origin: t.origin,
          missed_by_scan: t.missedByScan,
          score_max: t.scoreMax,
          area_m2: t.areaM2,
          review: t.review?.reason ?? null,
          report_ids: t.reportIds,
        },
      })),
    },
    rules: ev.result.rules,
    certifiable: ev.result.certifiable,
    evidenceDigest: ev.evidenceDigest,
    certificates: certs.map(summary),
  } satisfies ZoneDetail;
}

/** The certificate's PDF; a missing CJK font is 503 TIANDI_E_UNAVAILABLE, not a crash. */
async function certificatePdf(ws: Ws, cert: Certificate): Promise<Buffer> {
  const zone = wrap(() => readZone(ws, cert.zoneId));
  try {
    return await renderCertificatePdf(certificateToPdfInput(cert, { level: zone.level, parentNames: parentNames(ws, cert.zoneId) }));
  } catch (err) {
    if ((err as { code?: string }).code === 'TIANDI_E_PDF_FONT') throw new ServerError('TIANDI_E_UNAVAILABLE', (err as Error).message);
    throw err;
  }
}

/** The audit log, narrowed to one target (and its reports) or one zone (its targets, reports, certificates and sub-subjects), last `limit` entries. */
function auditEntries(ws: Ws, q: z.infer<typeof AuditQuery>) {
  const entries = readAuditLog(ws);
  let subjects: Set<string> | null = null;
  if (q.target) subjects = new Set([q.target, ...reportIdsOfTarget(ws, q.target)]);
  if (q.zone) {
    const ev = wrap(() => evaluateZone(ws, q.zone!));
    subjects = new Set([q.zone, ...ev.targets.flatMap((t) => [t.id, ...t.reportIds]), ...listCertificates(ws, { zoneId: q.zone }).map((c) => c.certId)]);
  }
  const zonePrefix = q.zone ? `${q.zone}/` : null;
  const picked = subjects ? entries.filter((e) => subjects!.has(e.subject) || (zonePrefix && e.subject.startsWith(zonePrefix))) : entries;
  return { entries: picked.slice(-q.limit), total: picked.length };
}

function findCert(ws: Ws, certId: string): Certificate {
  const cert = listCertificates(ws).find((c) => c.certId === certId);
  if (!cert) throw new ServerError('TIANDI_E_NOT_FOUND', `没有证书 no certificate '${certId}'`, { field: 'certId' });
  return cert;
}

function summary(c: Certificate): CertificateSummary {
  return {
    certId: c.certId,
    zoneId: c.zoneId,
    zoneName: c.zoneName,
    seasonId: c.seasonId,
    status: c.status,
    statusReason: c.statusReason,
    signedBy: c.signedBy,
    issuedAt: c.issuedAt,
    evidenceDigest: c.evidenceDigest,
    coverageShare: c.coverage.share,
  };
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StoreError) {
      throw new ServerError(
        err.code === 'TIANDI_E_NOT_FOUND' ? 'TIANDI_E_NOT_FOUND' : err.code === 'TIANDI_E_CONFLICT' ? 'TIANDI_E_CONFLICT' : 'TIANDI_E_VALIDATION',
        err.message,
        { field: err.field },
      );
    }
    throw err;
  }
}
