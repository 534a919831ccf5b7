import { createHash } from 'node:crypto';
import path from 'node:path';
import { FieldImportBody, ReportBody, type ReportAnswer } from '@tiandi/api';
import { parseGroundReport } from '@tiandi/geo';
import { hasStoredPhoto, hasTarget, importReports, readTarget, sniffImage, StoreError, teamHasTarget, teamTargetIds, type PhotoBytes } from '@tiandi/store';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RequestAccount, Role, RouteModule, ServerContext } from '../context';
import { AuthError } from '../auth/auth-errors';
import { ServerError } from '../errors';
import { PhotoStore, photoRefsOf } from '../uploads/photo-store';
import { parseFieldExport } from '../field/parse-field-export';
import { parseInput } from '../validate';
import { importReportsInBatches } from '../workspace/import-reports-in-batches';
import { actorOf, workspaceOf } from '../workspace/workspace-service';
import { readAssignment } from './field-assignment';
import { assignmentGpx } from './field-gpx';

/** Roles that may read a team's assignment: the team itself, and the office roles that plan and review. */
const READERS: Role[] = ['field', 'planner', 'manager', 'admin'];
/** Only field teams report. */
const REPORTERS: Role[] = ['field'];
/** Office roles that may import another tool's export on a team's behalf. */
const IMPORTERS: Role[] = ['planner', 'manager', 'admin'];
const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
/** Default bound on photos uploaded and waiting for their report (ServerOptions `photoStagingBytes`). */
export const MAX_STAGED_PHOTO_BYTES = 2 * 1024 ** 3;
const PHOTO_TYPES = /^image\/(jpeg|png|webp|heic|heif)$/;

const TeamQuery = z.strictObject({ team: z.string().min(1).max(64).optional() });
const PhotoParams = z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 (64 hex digits)') });

/** The team a request is about: a field account's own team (403 for any other), else the `team` query. */
export function teamFor(account: RequestAccount | null, requested: string | undefined): string {
  if (!account) throw new AuthError('TIANDI_E_AUTH_REQUIRED');
  if (account.role === 'field') {
    if (!account.team) throw new AuthError('TIANDI_E_AUTH_TEAM');
    if (requested && requested !== account.team) throw new AuthError('TIANDI_E_AUTH_TEAM');
    return account.team;
  }
  if (!requested) throw new ServerError('TIANDI_E_VALIDATION', '需要指定外业组 team is required: ?team=<team id>', { field: 'team' });
  return requested;
}

/** Folder where uploaded photos wait for their report (addressed by sha256 only). */
function photoStoreOf(ctx: ServerContext): PhotoStore {
  let s = ctx.services.get('field-photos') as PhotoStore | undefined;
  if (!s) {
    s = new PhotoStore(path.join(ctx.options.dataDir, 'field-photos'));
    ctx.services.set('field-photos', s);
  }
  return s;
}

/**
 * Field team API (issue 7):
 * - `GET /api/field/assignment[?team=]` — route, stops (with Gaode links), targets, reports so far.
 * - `GET /api/field/assignment.gpx[?team=]` — the same as GPX for handheld units.
 * - `GET /api/field/targets/:id` — one target of the team.
 * - `PUT /api/field/photos/:sha256` — photo bytes (checked against the sha256; idempotent).
 * - `POST /api/field/reports/import` `{ fileName, text, team? }` — a CSV/GeoJSON export of another field app
 *   (ODK/Kobo, QField, Survey123, Chinese headers), mapped to the report schema (planner, manager, admin).
 * - `POST /api/field/reports` — one report (GeoJSON Point feature, workspace report schema);
 *   idempotent by `report_id`: `{ outcome: 'created' | 'duplicate' }`.
 * A field account sees and reports only for its own team (403 `TIANDI_E_AUTH_TEAM`).
 */
const field: RouteModule = {
  name: 'field',
  register(app, ctx) {
    sweepPhotosHourly(app, ctx);
    registerAssignment(app, ctx);
    app.register(async (scope) => {
      scope.addContentTypeParser(/^image\//, { parseAs: 'buffer', bodyLimit: MAX_PHOTO_BYTES }, (_req, body, done) => done(null, body));
      scope.put('/api/field/photos/:sha256', { config: { roles: REPORTERS }, bodyLimit: MAX_PHOTO_BYTES }, async (req) => {
        const { sha256 } = parseInput(PhotoParams, req.params, 'params');
        const type = String(req.headers['content-type'] ?? '')
          .split(';')[0]
          .trim()
          .toLowerCase();
        return stagePhoto(ctx, sha256, type, req.body);
      });
    });
    app.post('/api/field/reports/import', { config: { roles: IMPORTERS } }, async (req) =>
      importFieldExport(ctx, req.account, parseInput(FieldImportBody, req.body)),
    );
    app.post('/api/field/reports', { config: { roles: REPORTERS } }, async (req, reply) => {
      const { status, answer } = receiveReport(ctx, req.account, parseInput(ReportBody, req.body));
      return reply.status(status).send(answer);
    });
  },
};
export default field;

/** Photos never claimed by a report are deleted after the upload expiry, on start and hourly. */
function sweepPhotosHourly(app: FastifyInstance, ctx: ServerContext): void {
  const maxAgeMs = (ctx.options.uploadExpiryHours ?? 72) * 3600_000;
  const sweep = () => {
    try {
      photoStoreOf(ctx).sweep(maxAgeMs);
    } catch (err) {
      app.log.warn({ err }, 'photo sweep failed');
    }
  };
  sweep();
  const sweeper = setInterval(sweep, Math.min(3600_000, maxAgeMs)).unref();
  app.addHook('onClose', async () => clearInterval(sweeper));
}

/** The team's assignment (JSON and GPX) and one of its targets. */
function registerAssignment(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/api/field/assignment', { config: { roles: READERS } }, async (req, reply) => {
    const { team } = parseInput(TeamQuery, req.query, 'query');
    const a = readAssignment(workspaceOf(ctx), teamFor(req.account, team));
    void reply.header('cache-control', 'private, no-cache');
    return a;
  });

  app.get('/api/field/assignment.gpx', { config: { roles: READERS } }, async (req, reply) => {
    const { team } = parseInput(TeamQuery, req.query, 'query');
    const a = readAssignment(workspaceOf(ctx), teamFor(req.account, team));
    void reply.header('content-disposition', `attachment; filename="tiandi-${encodeURIComponent(a.team)}.gpx"`);
    return reply.type('application/gpx+xml; charset=utf-8').send(assignmentGpx(a));
  });

  app.get('/api/field/targets/:id', { config: { roles: READERS } }, async (req) => {
    const { id } = parseInput(z.strictObject({ id: z.string().min(1).max(200) }), req.params, 'params');
    const { team } = parseInput(TeamQuery, req.query, 'query');
    const ws = workspaceOf(ctx);
    if (req.account?.role === 'field' && !teamHasTarget(ws, teamFor(req.account, team), id)) throw new AuthError('TIANDI_E_AUTH_TEAM');
    const feature = readAssignmentTarget(ws, id);
    if (!feature) throw new ServerError('TIANDI_E_NOT_FOUND', `没有目标 no target '${id}'`, { field: 'id' });
    return feature;
  });
}

/** Keeps an uploaded photo until its report arrives, once its type, content and sha256 are checked and the staging quota allows it. */
function stagePhoto(ctx: ServerContext, sha256: string, type: string, body: unknown) {
  if (!PHOTO_TYPES.test(type))
    throw new ServerError('TIANDI_E_VALIDATION', `照片格式不支持 unsupported photo type '${type}': JPEG, PNG, WebP or HEIC`, { field: 'content-type' });
  if (!Buffer.isBuffer(body) || body.length === 0) throw new ServerError('TIANDI_E_VALIDATION', '照片为空 empty photo', { field: 'body' });
  // The bytes must be the image they claim to be (JPEG, PNG, WebP, HEIC by their signature).
  const sniffed = sniffImage(body);
  if (!sniffed)
    throw new ServerError('TIANDI_E_VALIDATION', `照片内容不是图片 the body is not a JPEG, PNG, WebP or HEIC image (by its content)`, { field: 'body' });
  if (sniffed !== (type === 'image/heif' ? 'image/heic' : type))
    throw new ServerError('TIANDI_E_VALIDATION', `照片类型不符 the body is ${sniffed}, not the claimed ${type}: send it with content-type ${sniffed}`, {
      field: 'content-type',
    });
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== sha256)
    throw new ServerError('TIANDI_E_CHECKSUM_MISMATCH', `照片校验和不符 photo checksum mismatch: got ${actual}; resend the photo`, { field: 'sha256' });
  const store = photoStoreOf(ctx);
  const cap = ctx.options.photoStagingBytes ?? MAX_STAGED_PHOTO_BYTES;
  if (store.heldBytes() + body.length > cap) {
    throw new ServerError(
      'TIANDI_E_UPLOAD_QUOTA',
      `待提交照片已满 photos waiting for their report exceed ${Math.round(cap / 1024 ** 2)} MB: send the reports of the photos already uploaded first`,
      { field: 'body' },
    );
  }
  store.put(sha256, body, type);
  return { ok: true, sha256, sizeBytes: body.length };
}

/** Imports another field app's export on a team's behalf: its rows mapped to reports, with every rejected row by number. */
async function importFieldExport(ctx: ServerContext, account: RequestAccount | null, body: z.infer<typeof FieldImportBody>) {
  // Large exports are parsed in a worker thread and stored batch by batch: other requests are served meanwhile.
  const norm = await parseFieldExport(body.text, body.team ?? null);
  const rejected = [...norm.rejected];
  let res;
  try {
    res = await importReportsInBatches(workspaceOf(ctx), norm.rows, actorOf(account), { source: body.fileName });
  } catch (err) {
    if (err instanceof StoreError) throw new ServerError('TIANDI_E_VALIDATION', err.message, { field: err.field });
    throw err;
  }
  return {
    mapping: norm.mapping,
    added: res.added.map((a) => ({ reportId: a.reportId, targetId: a.targetId, match: a.match, status: a.to })),
    unchanged: res.unchanged.map((u) => u.reportId),
    rejected: [...rejected, ...res.rejected].sort((a, b) => a.row - b.row),
    newTargets: res.newTargets,
    contradictions: res.contradictions,
    staleCertificates: res.staleCertificates,
  };
}

/** Stores one field team's report with its uploaded photos: 201 created, or 200 for the same report again. */
function receiveReport(ctx: ServerContext, account: RequestAccount | null, body: z.infer<typeof ReportBody>): { status: 200 | 201; answer: ReportAnswer } {
  const team = teamFor(account, undefined);
  const props = { ...body.properties };
  // Photos are named by sha256 only: a path here must never reach the file system.
  const photoRefs = photoRefsOf(props.photos);
  if (props.team !== undefined && props.team !== null && props.team !== team) throw new AuthError('TIANDI_E_AUTH_TEAM');
  props.team = team;
  const parsed = parseGroundReport(props, body.geometry.coordinates);
  if (!parsed.ok) throw new ServerError('TIANDI_E_VALIDATION', parsed.message, { field: parsed.field });
  const report = parsed.report;
  const ws = workspaceOf(ctx);
  if (report.targetId && !teamHasTarget(ws, team, report.targetId)) throw new AuthError('TIANDI_E_AUTH_TEAM');
  const store = photoStoreOf(ctx);
  const photos = uploadedPhotos(ws, store, photoRefs);
  let res;
  try {
    // Matched by position, a report applies only to the team's own targets; another team's is flagged for review.
    res = importReports(ws, [{ row: 1, report }], actorOf(account), { source: 'field-app', photos, teamScope: teamTargetIds(ws, team) });
  } catch (err) {
    if (err instanceof StoreError)
      throw new ServerError(err.code === 'TIANDI_E_NOT_FOUND' ? 'TIANDI_E_NOT_FOUND' : 'TIANDI_E_VALIDATION', err.message, { field: err.field });
    throw err;
  }
  for (const sha of photoRefs) store.remove(sha);
  if (res.rejected.length > 0) {
    const msg = res.rejected[0].message;
    throw new ServerError(/already stored with different content/.test(msg) ? 'TIANDI_E_CONFLICT' : 'TIANDI_E_VALIDATION', msg, {
      field: msg.split(':')[0] || undefined,
    });
  }
  if (res.unchanged.length > 0) return { status: 200, answer: { outcome: 'duplicate', reportId: report.reportId } };
  const added = res.added[0];
  return {
    status: 201,
    answer: {
      outcome: 'created',
      reportId: report.reportId,
      targetId: added.targetId,
      match: added.match,
      status: added.to,
      newTarget: res.newTargets.includes(added.targetId ?? ''),
      contradiction: res.contradictions[0]?.reason ?? null,
      review: res.outOfScope[0]?.reason ?? null,
    },
  };
}

/** The report's photos: staged uploads by sha256; one neither staged nor already in the workspace is refused. */
function uploadedPhotos(ws: ReturnType<typeof workspaceOf>, store: PhotoStore, photoRefs: string[]): PhotoBytes {
  const photos: PhotoBytes = new Map();
  for (const sha of photoRefs) {
    const uploaded = store.read(sha);
    if (uploaded) photos.set(sha, uploaded);
    else if (!hasStoredPhoto(ws, sha)) {
      throw new ServerError('TIANDI_E_VALIDATION', `照片尚未上传 photo ${sha} not uploaded yet: PUT /api/field/photos/${sha} first`, { field: 'photos' });
    }
  }
  return photos;
}

function readAssignmentTarget(ws: ReturnType<typeof workspaceOf>, id: string) {
  if (!hasTarget(ws, id)) return null;
  const t = readTarget(ws, id);
  return {
    type: 'Feature' as const,
    id: t.id,
    geometry: t.geometry,
    properties: { target_id: t.id, status: t.status, score_max: t.scoreMax, area_m2: t.areaM2, missed_by_scan: t.missedByScan, report_ids: t.reportIds },
  };
}
