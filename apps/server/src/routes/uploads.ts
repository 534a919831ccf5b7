import fs from 'node:fs';
import path from 'node:path';
import { Server, type Upload } from '@tus/server';
import { FileStore } from '@tus/file-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from '../context';
import { isDiskFull } from '../error-handler';
import { ServerError } from '../errors';
import { jobQueueOf } from '../jobs/services';
import { sha256File } from '../uploads/sha256-file';
import { OrthophotoRejected, validateOrthophoto } from '../uploads/validate-orthophoto';
import { alreadyScanned } from '@tiandi/store';
import { DEFAULT_MODEL_DIR } from '../jobs/default-scan-runner';
import { workspaceOf } from '../workspace/workspace-service';

/** Where the tus endpoint lives. */
export const UPLOADS_PATH = '/api/uploads';

const TIFF_NAME = /\.(tif|tiff)$/i;
/** tus upload ids as the server makes them. */
const TUS_ID = /^[0-9a-f]{32}$/;

/** Defaults of the upload options (ServerOptions `maxUploadBytes`, `uploadQuotaBytes`, `uploadExpiryHours`). */
export const UPLOAD_DEFAULTS = { maxUploadBytes: 64 * 1024 ** 3, quotaBytes: 256 * 1024 ** 3, expiryHours: 72 } as const;

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(bytes < 1024 ** 3 ? 3 : 1)} GB`;

/**
 * Bytes an account holds on the server: the declared sizes of its unfinished uploads, and its
 * accepted orthophotos still on disk (jobs not failed or cancelled).
 */
export async function bytesHeldBy(
  account: string,
  partDir: string,
  jobs: { uploadedBy?: string | null; sizeBytes: number; status: string; imagePath: string }[],
): Promise<number> {
  let held = 0;
  for (const f of await fs.promises.readdir(partDir).catch(() => [] as string[])) {
    if (!f.endsWith('.json')) continue;
    const info = await fs.promises
      .readFile(path.join(partDir, f), 'utf8')
      .then((t) => JSON.parse(t) as { size?: number; metadata?: { uploadedBy?: string } })
      .catch(() => null);
    if (info?.metadata?.uploadedBy === account) held += Number(info.size) || 0;
  }
  const seen = new Set<string>();
  for (const j of jobs) {
    if (j.uploadedBy !== account || j.status === 'failed' || j.status === 'cancelled' || seen.has(j.imagePath)) continue;
    seen.add(j.imagePath);
    held += j.sizeBytes;
  }
  return held;
}
/** Internal header carrying the uploader's account name from the fastify request to the tus hooks. */
const ACTOR_HEADER = 'x-tiandi-internal-actor';

/** Runs tasks one after another (a promise chain), so heavy checks never overlap. */
class OneAtATime {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** A tus hook failure: tus sends `status_code` and `body` to the client. */
function refuse(
  status_code: number,
  code: string,
  message: string,
  field?: string,
  params?: Record<string, string | number>,
): { status_code: number; body: string } {
  return { status_code, body: JSON.stringify({ code, message, ...(field ? { field } : {}), ...(params ? { params } : {}) }) + '\n' };
}

/**
 * Resumable uploads of orthophotos over the tus protocol (POST/HEAD/PATCH/DELETE under
 * /api/uploads). The client sends `filename` and `sha256` (hex of the whole file) in
 * Upload-Metadata. Only when the upload is complete does the server hash the file (mismatch →
 * 460, file deleted), validate it as an orthophoto (not usable → 422 with the reason, file
 * deleted), move it into the image folder and queue its scan; the final response carries
 * `{ jobId }`. A half-uploaded file is never validated or scanned.
 */
const uploads: RouteModule = {
  name: 'uploads',
  register(app, ctx) {
    const store = uploadStore(app, ctx);
    const tus = new Server({
      path: UPLOADS_PATH,
      datastore: store.datastore,
      maxSize: ctx.options.maxUploadBytes ?? UPLOAD_DEFAULTS.maxUploadBytes,
      relativeLocation: true,
      // Same-origin only: no Access-Control-Allow-Origin for any other site (tus would answer '*').
      allowedOrigins: () => false,
      async onResponseError(_req, err) {
        if (isDiskFull(err))
          return refuse(
            507,
            'TIANDI_E_DISK_FULL',
            '服务器磁盘已满 the server disk is full: free space on the server, then resume the upload (what was received is kept)',
          );
        return undefined;
      },
      onUploadCreate: (req, upload) => checkNewUpload(ctx, store, req, upload),
      onUploadFinish: (req, upload) => finishUpload(ctx, store, req, upload),
    });
    app.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));
    const handle = tusHandler(tus);
    const config = { roles: ['operator' as const, 'admin' as const] };
    app.route({ method: ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: UPLOADS_PATH, config, handler: handle });
    app.route({ method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: `${UPLOADS_PATH}/*`, config, handler: handle });
  },
};
export default uploads;

/** The workspace image this file's content already is (file sha256 or pixel digest), when the server's model has scanned it. */
async function sameImageryScanned(ctx: Parameters<RouteModule['register']>[1], file: string) {
  const { imageDigests, loadModelCard } = await import('@tiandi/tiles/node');
  // Without a readable model card there is no "already scanned with it": the upload goes on to its job, which says what is wrong.
  const card = await loadModelCard(ctx.options.modelDir ?? DEFAULT_MODEL_DIR).catch(() => null);
  return card ? alreadyScanned(workspaceOf(ctx), await imageDigests(file), card.name, card.version) : null;
}

/** Where uploads are kept while they arrive, where accepted images go, and the one-at-a-time validation. */
interface UploadStore {
  datastore: FileStore;
  partDir: string;
  imageDir: string;
  validating: OneAtATime;
  /** Deletes an upload's data and record (never throws). */
  remove(upload: Upload): Promise<void>;
}

type RouteContext = Parameters<RouteModule['register']>[1];
/** What the tus hooks see of a request: its headers. */
type HookRequest = { headers: { get(name: string): string | null } };

/** The tus file store under the data folder; abandoned partial uploads are deleted on start and then every hour. */
function uploadStore(app: Parameters<RouteModule['register']>[0], ctx: RouteContext): UploadStore {
  const partDir = path.join(ctx.options.dataDir, 'uploads');
  const imageDir = path.join(ctx.options.dataDir, 'images');
  fs.mkdirSync(partDir, { recursive: true });
  fs.mkdirSync(imageDir, { recursive: true });
  const expiryMs = (ctx.options.uploadExpiryHours ?? UPLOAD_DEFAULTS.expiryHours) * 3600_000;
  const datastore = new FileStore({ directory: partDir, expirationPeriodInMilliseconds: expiryMs });
  const sweep = () => datastore.deleteExpired().catch((err) => app.log.warn({ err }, 'upload expiry sweep failed'));
  void sweep();
  const sweeper = setInterval(sweep, Math.min(3600_000, expiryMs)).unref();
  app.addHook('onClose', async () => clearInterval(sweeper));
  return {
    datastore,
    partDir,
    imageDir,
    validating: new OneAtATime(),
    remove: async (upload) => {
      await datastore.remove(upload.id).catch(() => undefined);
    },
  };
}

/** Before the first byte: a .tif name, a sha256, a known size, and room in the uploader's quota. Records who uploads. */
async function checkNewUpload(ctx: RouteContext, store: UploadStore, req: HookRequest, upload: Upload): Promise<{ metadata: Record<string, string | null> }> {
  const quota = ctx.options.uploadQuotaBytes ?? UPLOAD_DEFAULTS.quotaBytes;
  const name = upload.metadata?.filename ?? '';
  const sha = upload.metadata?.sha256 ?? '';
  if (!name) throw refuse(400, 'TIANDI_E_VALIDATION', '缺少文件名 Upload-Metadata needs filename', 'filename');
  if (!TIFF_NAME.test(name)) throw refuse(400, 'TIANDI_E_VALIDATION', `只接受 GeoTIFF (.tif/.tiff) only GeoTIFF files are accepted: '${name}'`, 'filename');
  if (!/^[0-9a-f]{64}$/i.test(sha))
    throw refuse(400, 'TIANDI_E_VALIDATION', '缺少或无效的 sha256 校验和 Upload-Metadata needs sha256 (64 hex digits)', 'sha256');
  if (upload.sizeIsDeferred || !upload.size) throw refuse(400, 'TIANDI_E_VALIDATION', '文件为空或大小未知 empty file or unknown length', 'Upload-Length');
  const actor = req.headers.get(ACTOR_HEADER);
  const uploadedBy = actor ? decodeURIComponent(actor) : '';
  const used = await bytesHeldBy(uploadedBy, store.partDir, jobQueueOf(ctx).list());
  if (used + upload.size > quota) {
    throw refuse(
      413,
      'TIANDI_E_UPLOAD_QUOTA',
      `上传配额已满 upload quota exceeded: ${gb(used)} held + ${gb(upload.size)} > ${gb(quota)} for account '${uploadedBy}'; finish or delete unfinished uploads, or ask an administrator to raise --upload-quota-gb`,
      'Upload-Length',
    );
  }
  // The uploader's name is recorded by the server, whatever the client sent.
  return { metadata: { ...upload.metadata, uploadedBy } };
}

/**
 * A complete upload: checksum, orthophoto validation, then either "same imagery as image X" (nothing
 * scanned) or the image moved into the image folder (one copy per content) and its scan queued.
 */
async function finishUpload(
  ctx: RouteContext,
  store: UploadStore,
  req: HookRequest,
  upload: Upload,
): Promise<{ status_code: number; headers: Record<string, string>; body: string }> {
  const file = upload.storage?.path ?? path.join(store.partDir, upload.id);
  const name = path.basename(upload.metadata?.filename ?? 'image.tif');
  const expected = String(upload.metadata?.sha256 ?? '').toLowerCase();
  const actual = await sha256File(file);
  if (actual !== expected) {
    await store.remove(upload);
    throw refuse(
      460,
      'TIANDI_E_CHECKSUM_MISMATCH',
      `校验和不符，文件已删除，请重新上传 checksum mismatch (expected ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…); the file was deleted, upload it again`,
      'sha256',
    );
  }
  try {
    // One validation at a time: a crafted header cannot be opened three times at once.
    // With the scan's model: imagery it would refuse as too coarse is refused here, before a job is queued (a
    // server without a model card fails its scan jobs with that reason instead).
    const modelDir = ctx.options.modelDir ?? DEFAULT_MODEL_DIR;
    const hasCard = fs.existsSync(path.join(modelDir, 'model.json'));
    await store.validating.run(() => validateOrthophoto(file, hasCard ? { modelDir } : {}));
  } catch (err) {
    await store.remove(upload);
    const rejected = err instanceof OrthophotoRejected ? err : undefined;
    const reason = rejected ? rejected.message : String((err as Error).message ?? err);
    // params.cause: the tiles package's code for why, which the web app words in the user's language.
    const cause = rejected ? rejected.code : 'TIANDI_E_INTERNAL';
    throw refuse(422, 'TIANDI_E_UPLOAD_REJECTED', `${name}: ${reason}`, 'file', { file: name, cause, ...rejected?.facts });
  }
  // The same imagery, under any name, already scanned with the server's model: say which image it is, scan nothing.
  const same = await sameImageryScanned(ctx, file);
  if (same) {
    await store.remove(upload);
    return {
      status_code: 200,
      headers: { 'content-type': 'application/json' } as Record<string, string>,
      body: JSON.stringify({
        jobId: null,
        existing: true,
        sameImage: { imageId: same.sameAs, by: same.by },
        message: `${name}: 与工作区影像 ${same.sameAs} 内容相同，未重新扫描 same imagery as workspace image '${same.sameAs}' (by ${same.by === 'sha256' ? 'file sha256' : 'pixel digest'}): not scanned again`,
      }),
    };
  }
  const actor = req.headers.get(ACTOR_HEADER);
  const uploadedBy = actor ? decodeURIComponent(actor) : null;
  const queue = jobQueueOf(ctx);
  const known = queue.list().find((j) => j.sha256 === actual && ['queued', 'running', 'done'].includes(j.status) && fs.existsSync(j.imagePath));
  let dest = known?.imagePath;
  if (known) {
    // The same bytes are already here: keep one copy, not an orphan beside it.
    await store.remove(upload);
  } else {
    dest = path.join(store.imageDir, `${actual.slice(0, 16)}-${name.replace(/[^\p{L}\p{N}._-]+/gu, '_')}`);
    fs.renameSync(file, dest);
    // The data file has moved; drop tus's metadata record of it too.
    fs.rmSync(path.join(store.partDir, `${upload.id}.json`), { force: true });
  }
  const { job, existing } = queue.enqueue({ imagePath: dest!, imageName: name, sha256: actual, sizeBytes: upload.size ?? 0, uploadedBy });
  return {
    status_code: 200,
    headers: { 'content-type': 'application/json', 'tiandi-job-id': job.id },
    body: JSON.stringify({ jobId: job.id, existing }),
  };
}

/** The fastify handler handing a request to tus, with the signed-in account in a header only the server sets. */
function tusHandler(tus: Server): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (req, reply) => {
    // Upload ids are the server's own (32 hex digits): anything else never reaches the file store.
    const id = req.url.split('?')[0].slice(UPLOADS_PATH.length + 1);
    if (id && !TUS_ID.test(id)) throw new ServerError('TIANDI_E_NOT_FOUND', `没有此上传 no upload '${id.slice(0, 80)}'`, { field: 'id' });
    const raw = req.raw as typeof req.raw & { rawHeaders: string[] };
    delete raw.headers[ACTOR_HEADER];
    const kept: string[] = [];
    for (let i = 0; i + 1 < (raw.rawHeaders ?? []).length; i += 2) {
      if (raw.rawHeaders[i].toLowerCase() !== ACTOR_HEADER) kept.push(raw.rawHeaders[i], raw.rawHeaders[i + 1]);
    }
    if (req.account) {
      raw.headers[ACTOR_HEADER] = encodeURIComponent(req.account.name);
      kept.push(ACTOR_HEADER, encodeURIComponent(req.account.name));
    }
    raw.rawHeaders = kept;
    reply.hijack();
    await tus.handle(req.raw, reply.raw);
  };
}
