import * as tus from 'tus-js-client';
import { sha256OfFile } from './sha256-file';

/** Where an upload is. */
export type UploadPhase = 'hashing' | 'uploading' | 'verifying' | 'queued' | 'rejected' | 'failed';

/** Progress of one file, as the upload panel shows it. */
export interface UploadState {
  phase: UploadPhase;
  /** 0–1 within the phase. */
  fraction: number;
  bytesSent: number;
  bytesTotal: number;
  /** The scan job once the server accepted the file. */
  jobId?: string;
  /** Already uploaded before (same sha256): not scanned again. */
  existing?: boolean;
  /** The workspace image this file's content already is (any name), when the server recognised it. */
  sameImage?: { imageId: string; by: 'sha256' | 'pixels' };
  /** Why the server rejected the file, or why the upload failed. */
  error?: string;
  /** The refusal's code and params (TIANDI_E_UPLOAD_REJECTED: `{ file, cause }`, cause a tiles code), worded by the web app. */
  code?: string;
  params?: Record<string, string | number>;
}

type TusOptions = ConstructorParameters<typeof tus.Upload>[1];
/** What a started upload reports: each state (returned, for `resolve(emit(…))`) and its end. */
type Emit = (s: UploadState) => UploadState;

/** Retries a dropped connection, a conflict, a lock or a server error; a refusal of the file is final. */
function shouldRetry(err: tus.DetailedError): boolean {
  const status = err.originalResponse?.getStatus() ?? 0;
  return status === 0 || status === 409 || status === 423 || status >= 500;
}

/** The state after the server took the whole file: its scan job, or that the content was there already. */
function queuedState(responseBody: () => string, total: number): UploadState {
  let body: { jobId?: string | null; existing?: boolean; sameImage?: UploadState['sameImage'] } = {};
  try {
    body = JSON.parse(responseBody() || '{}');
  } catch {
    body = {};
  }
  return {
    phase: 'queued',
    fraction: 1,
    bytesSent: total,
    bytesTotal: total,
    jobId: body.jobId ?? undefined,
    existing: body.existing,
    sameImage: body.sameImage,
  };
}

/** The state after an error: `rejected` when the server refused the file (its message and code), else `failed`. */
function errorState(err: Error | tus.DetailedError, total: number): UploadState {
  const res = (err as tus.DetailedError).originalResponse;
  const status = res?.getStatus() ?? 0;
  let message = err.message;
  let coded: Pick<UploadState, 'code' | 'params'> = {};
  try {
    const body = JSON.parse(res?.getBody() ?? '');
    if (body?.message) message = body.message;
    if (typeof body?.code === 'string') coded = { code: body.code, ...(body.params && typeof body.params === 'object' ? { params: body.params } : {}) };
  } catch {
    // Not JSON: keep tus-js-client's message.
  }
  const rejected = status === 460 || status === 422 || status === 400 || status === 413;
  return { phase: rejected ? 'rejected' : 'failed', fraction: 0, bytesSent: 0, bytesTotal: total, error: message, ...coded };
}

/** The tus options for one file whose hash is known; the upload's end (queued, rejected or failed) goes to `done`. */
function tusOptions(file: File, sha: string, emit: Emit, done: (s: UploadState) => void, opts: { endpoint?: string; chunkSize?: number }): TusOptions {
  const total = file.size;
  return {
    endpoint: opts.endpoint ?? '/api/uploads',
    chunkSize: opts.chunkSize ?? 16 * 1024 * 1024,
    retryDelays: [0, 1000, 3000, 5000, 10000],
    metadata: { filename: file.name, sha256: sha, filetype: file.type || 'image/tiff' },
    // The fingerprint includes the content hash, so a changed file never resumes an old upload.
    fingerprint: async (f: File) => ['tiandi', f.name, f.size, sha].join('-'),
    removeFingerprintOnSuccess: true,
    storeFingerprintForResuming: true,
    onShouldRetry: shouldRetry,
    onProgress: (sent, all) => {
      emit({ phase: sent >= all ? 'verifying' : 'uploading', fraction: all ? sent / all : 0, bytesSent: sent, bytesTotal: all });
    },
    onSuccess: (payload) => done(emit(queuedState(() => payload.lastResponse.getBody(), total))),
    onError: (err) => done(emit(errorState(err, total))),
  };
}

/**
 * Uploads one orthophoto over tus: hashes it (sha256, sent in Upload-Metadata so the server can
 * check the complete file), then sends it in chunks that resume after a dropped connection or a
 * page reload (tus-js-client remembers the upload URL). Resolves with the final state: `queued`
 * (with the job id), `rejected` (the server refused the file: reason in `error`), or `failed`.
 */
export function uploadFile(
  file: File,
  onState: (s: UploadState) => void,
  opts: { endpoint?: string; chunkSize?: number; signal?: AbortSignal } = {},
): Promise<UploadState> {
  const total = file.size;
  const emit: Emit = (s) => {
    onState(s);
    return s;
  };
  const cancelled = () => emit({ phase: 'failed', fraction: 0, bytesSent: 0, bytesTotal: total, error: '已取消 cancelled' });
  return (async () => {
    emit({ phase: 'hashing', fraction: 0, bytesSent: 0, bytesTotal: total });
    let sha: string;
    try {
      sha = await sha256OfFile(file, (f) => emit({ phase: 'hashing', fraction: f, bytesSent: 0, bytesTotal: total }), opts.signal);
    } catch (err) {
      if (opts.signal?.aborted) return cancelled();
      throw err;
    }
    return new Promise<UploadState>((resolve) => {
      const upload = new tus.Upload(file, tusOptions(file, sha, emit, resolve, opts));
      opts.signal?.addEventListener(
        'abort',
        () => {
          // Keeps the partial upload on the server, so "retry" resumes it.
          void upload.abort(false);
          resolve(cancelled());
        },
        { once: true },
      );
      void upload.findPreviousUploads().then((previous) => {
        if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      });
    });
  })();
}
