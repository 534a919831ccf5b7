import fs from 'node:fs';
import path from 'node:path';
import { Server, type Upload } from '@tus/server';
import { FileStore } from '@tus/file-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteModule } from '../context';
import { jobQueueOf } from '../jobs/services';
import { sha256File } from '../uploads/sha256-file';
import { OrthophotoRejected, validateOrthophoto } from '../uploads/validate-orthophoto';
import { alreadyScanned } from '@tiandi/store';
import { DEFAULT_MODEL_DIR } from '../jobs/default-scan-runner';
import { workspaceOf } from '../workspace/workspace-service';

/** Where the tus endpoint lives. */
export const UPLOADS_PATH = '/api/uploads';

const TIFF_NAME = /\.(tif|tiff)$/i;
/** Internal header carrying the uploader's account name from the fastify request to the tus hooks. */
const ACTOR_HEADER = 'x-tiandi-internal-actor';

/** A tus hook failure: tus sends `status_code` and `body` to the client. */
function refuse(status_code: number, code: string, message: string, field?: string): { status_code: number; body: string } {
  return { status_code, body: JSON.stringify(field ? { code, message, field } : { code, message }) + '\n' };
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
    const partDir = path.join(ctx.options.dataDir, 'uploads');
    const imageDir = path.join(ctx.options.dataDir, 'images');
    fs.mkdirSync(partDir, { recursive: true });
    fs.mkdirSync(imageDir, { recursive: true });
    const datastore = new FileStore({ directory: partDir });
    const maxSize = ctx.options.maxUploadBytes ?? 64 * 1024 ** 3;

    const removeUpload = async (upload: Upload) => {
      await datastore.remove(upload.id).catch(() => undefined);
    };

    const tus = new Server({
      path: UPLOADS_PATH,
      datastore,
      maxSize,
      relativeLocation: true,
      async onUploadCreate(_req, upload) {
        const name = upload.metadata?.filename ?? '';
        const sha = upload.metadata?.sha256 ?? '';
        if (!name) throw refuse(400, 'TIANDI_E_VALIDATION', '缺少文件名 Upload-Metadata needs filename', 'filename');
        if (!TIFF_NAME.test(name)) throw refuse(400, 'TIANDI_E_VALIDATION', `只接受 GeoTIFF (.tif/.tiff) only GeoTIFF files are accepted: '${name}'`, 'filename');
        if (!/^[0-9a-f]{64}$/i.test(sha)) throw refuse(400, 'TIANDI_E_VALIDATION', '缺少或无效的 sha256 校验和 Upload-Metadata needs sha256 (64 hex digits)', 'sha256');
        if (upload.sizeIsDeferred || !upload.size) throw refuse(400, 'TIANDI_E_VALIDATION', '文件为空或大小未知 empty file or unknown length', 'Upload-Length');
        return {};
      },
      async onUploadFinish(req, upload) {
        const file = upload.storage?.path ?? path.join(partDir, upload.id);
        const name = path.basename(upload.metadata?.filename ?? 'image.tif');
        const expected = String(upload.metadata?.sha256 ?? '').toLowerCase();
        const actual = await sha256File(file);
        if (actual !== expected) {
          await removeUpload(upload);
          throw refuse(460, 'TIANDI_E_CHECKSUM_MISMATCH', `校验和不符，文件已删除，请重新上传 checksum mismatch (expected ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…); the file was deleted, upload it again`, 'sha256');
        }
        try {
          await validateOrthophoto(file);
        } catch (err) {
          await removeUpload(upload);
          const reason = err instanceof OrthophotoRejected ? err.message : String((err as Error).message ?? err);
          throw refuse(422, 'TIANDI_E_UPLOAD_REJECTED', `${name}: ${reason}`, 'file');
        }
        // The same imagery, under any name, already scanned with the server's model: say which image it is, scan nothing.
        const same = await sameImageryScanned(ctx, file);
        if (same) {
          await removeUpload(upload);
          return {
            status_code: 200,
            headers: { 'content-type': 'application/json' } as Record<string, string>,
            body: JSON.stringify({ jobId: null, existing: true, sameImage: { imageId: same.sameAs, by: same.by }, message: `${name}: 与工作区影像 ${same.sameAs} 内容相同，未重新扫描 same imagery as workspace image '${same.sameAs}' (by ${same.by === 'sha256' ? 'file sha256' : 'pixel digest'}): not scanned again` }),
          };
        }
        const dest = path.join(imageDir, `${actual.slice(0, 16)}-${name.replace(/[^\p{L}\p{N}._-]+/gu, '_')}`);
        fs.renameSync(file, dest);
        // The data file has moved; drop tus's metadata record of it too.
        fs.rmSync(path.join(partDir, `${upload.id}.json`), { force: true });
        const actor = req.headers.get(ACTOR_HEADER);
        const uploadedBy = actor ? decodeURIComponent(actor) : null;
        const { job, existing } = jobQueueOf(ctx).enqueue({ imagePath: dest, imageName: name, sha256: actual, sizeBytes: upload.size ?? 0, uploadedBy });
        return {
          status_code: 200,
          headers: { 'content-type': 'application/json', 'tiandi-job-id': job.id },
          body: JSON.stringify({ jobId: job.id, existing }),
        };
      },
    });

    app.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));
    const handle = async (req: FastifyRequest, reply: FastifyReply) => {
      // The signed-in account travels to the tus hooks in a header only the server sets.
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
    const config = { roles: ['operator' as const, 'admin' as const] };
    app.route({ method: ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: UPLOADS_PATH, config, handler: handle });
    app.route({ method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url: `${UPLOADS_PATH}/*`, config, handler: handle });
  },
};
export default uploads;

/** The workspace image this file's content already is (file sha256 or pixel digest), when the server's model has scanned it. */
async function sameImageryScanned(ctx: Parameters<RouteModule['register']>[1], file: string) {
  const { imageDigests, loadModelCard } = await import('@tiandi/tiles/node');
  const card = await loadModelCard(ctx.options.modelDir ?? DEFAULT_MODEL_DIR);
  return alreadyScanned(workspaceOf(ctx), await imageDigests(file), card.name, card.version);
}
