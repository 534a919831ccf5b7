import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { openGeoTiffSource, type GeoTiffSource } from '../read/open-geotiff-source';

/** What identifies an orthophoto by its content, whatever its file is called. */
export interface ImageDigests {
  /** sha256 of the file's bytes: the same file, copied or renamed. */
  sha256: string;
  /**
   * sha256 of the decoded image: size, bands, georeference and the 8-bit RGB + validity of a fixed 4 × 4
   * grid of 64 × 64-pixel windows at full resolution. The same pixels in another file (tags edited,
   * overviews added, losslessly recompressed) give the same digest.
   */
  pixelSha256: string;
}

/** The grid of sample windows (fractions of the image) the pixel digest reads. */
const GRID = [0.125, 0.375, 0.625, 0.875];
const WINDOW_PX = 64;

/**
 * Files from this size are hashed on a thread of their own: a scan starts the file's hash before its second stage,
 * and on the scanning thread (the second stage's busiest) the 2.9-GB striped bench file's hash was still running
 * 1.9 s after the last window was scored. Below it a thread's start (~30 ms) is not worth it.
 */
export const HASH_THREAD_BYTES = 256 << 20;

/**
 * The sha256 of a file, streamed (multi-gigabyte orthophotos never sit in memory); files of `threadBytes` or more
 * on another thread.
 */
export async function fileSha256(path: string, signal?: AbortSignal, threadBytes = HASH_THREAD_BYTES): Promise<string> {
  const { size } = await stat(path);
  if (size >= threadBytes) return sha256OnThread(path, signal);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Hashes begun ahead of {@link imageDigests} ({@link startFileSha256}), by path, until taken or dropped. */
const early = new Map<string, Promise<string>>();

/**
 * Begins the sha256 of a file of `threadBytes` or more now, on its thread, for the next {@link imageDigests} of
 * `path` to take. A scan begins it when its first stage ends: tracing then keeps only the scanning thread busy (1-2 s
 * on a 1.6-Gpx file), so the hash has a core to itself instead of taking one from the second stage. Smaller files
 * are hashed on the scanning thread, where beginning early gains nothing. The scan drops it if it is not taken
 * ({@link dropEarlySha256}): a hash begun once is never given for a later, perhaps changed, file. Returns the hash
 * begun (undefined when not).
 */
export function startFileSha256(path: string, signal?: AbortSignal, threadBytes = HASH_THREAD_BYTES): Promise<string> | undefined {
  const begun = early.get(path);
  if (begun) return begun;
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // Not begun: the digest hashes it, or reports why not, when asked.
  }
  if (size < threadBytes) return undefined;
  const hash = sha256OnThread(path, signal);
  hash.catch(() => undefined); // thrown where it is taken
  early.set(path, hash);
  return hash;
}

/** Forgets a hash begun for `path` and not taken (it still runs to its end on its thread). */
export function dropEarlySha256(path: string): void {
  early.delete(path);
}

/** The hash begun for `path`, if any (taken once), else one begun now. */
function takeFileSha256(path: string, signal?: AbortSignal): Promise<string> {
  const hash = early.get(path);
  early.delete(path);
  return hash ?? fileSha256(path, signal);
}

/** {@link fileSha256} on a worker thread (file-hash-worker.mjs), ended once it answers, fails or `signal` aborts. */
async function sha256OnThread(path: string, signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  const worker = new Worker(new URL('./file-hash-worker.mjs', import.meta.url), { workerData: { path }, stdout: false, stderr: false });
  let abort = (): void => undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      abort = () => reject(signal!.reason);
      signal?.addEventListener('abort', abort, { once: true });
      worker.once('message', (m: { hex?: string; message?: string; code?: string }) =>
        m.hex ? resolve(m.hex) : reject(Object.assign(new Error(m.message), { code: m.code })),
      );
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error(`the thread hashing ${path} ended without an answer`)));
    });
  } finally {
    signal?.removeEventListener('abort', abort);
    await worker.terminate();
  }
}

/** The full-resolution boxes the pixel digest reads (a scan keeps their blocks so the digest decodes none again). */
export function digestWindows(src: Pick<GeoTiffSource, 'width' | 'height'>): [number, number, number, number][] {
  const w = Math.min(WINDOW_PX, src.width),
    h = Math.min(WINDOW_PX, src.height);
  const boxes: [number, number, number, number][] = [];
  for (const fy of GRID) {
    for (const fx of GRID) {
      const x0 = Math.max(0, Math.min(src.width - w, Math.floor(fx * src.width - w / 2)));
      const y0 = Math.max(0, Math.min(src.height - h, Math.floor(fy * src.height - h / 2)));
      boxes.push([x0, y0, x0 + w, y0 + h]);
    }
  }
  return boxes;
}

/** The pixel digest of an open source (see {@link ImageDigests.pixelSha256}). */
export async function pixelSha256(src: GeoTiffSource, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const gt = src.geoTransform.map((v) => Number(v.toPrecision(12)));
  hash.update(JSON.stringify({ w: src.width, h: src.height, bands: src.bands, crs: src.crs.epsg ? src.crs.id : src.crs.proj4, gt }));
  for (const box of digestWindows(src)) {
    const r = await src.readWindow(box, box[2] - box[0], box[3] - box[1], signal);
    hash.update(r.rgb).update(r.valid);
  }
  return hash.digest('hex');
}

/**
 * Both content digests of an orthophoto: how the workspace recognises imagery it already holds, under
 * any name, before scanning it again. Pass an already open `src` to save opening the file twice.
 */
export async function imageDigests(path: string, opts: { src?: GeoTiffSource; signal?: AbortSignal } = {}): Promise<ImageDigests> {
  const src = opts.src ?? (await openGeoTiffSource(path, { signal: opts.signal }));
  try {
    return { sha256: await takeFileSha256(path, opts.signal), pixelSha256: await pixelSha256(src, opts.signal) };
  } finally {
    if (!opts.src) await src.close();
  }
}
