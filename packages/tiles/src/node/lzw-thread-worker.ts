import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { loadZstd, ZSTD_COMPRESSION } from '../read/codecs';
import type { StripsInFile } from '../read/level-reader';
import { claimBack, decodeStrip, type BandOut, type StripDone, type StripJob } from '../read/strip-away';

/**
 * A job: strips packed one after another in `packed` (strip k is [ends[k - 1], ends[k])), or read here from `file`,
 * decoded as `job` says; with `claims`, only those this thread claims from the back (the scanning thread takes the
 * rest from the front).
 */
interface Job {
  seq: number;
  packed?: Uint8Array;
  ends?: number[];
  file?: StripsInFile;
  job: StripJob;
  claims?: Int32Array;
  /** Where the strips claimed go, converted (shared memory, the band's layout). */
  out?: BandOut;
}

/** Decoded bytes of the strip being converted, reused from strip to strip. */
let scratchBytes = new Uint8Array(0);
const scratch = (n: number) => (scratchBytes.length >= n ? scratchBytes : (scratchBytes = new Uint8Array(n))).subarray(0, n);

/** The bytes of a job read from its file, reused from job to job (strips decode from them, in place for the predictor). */
let fileBytes = new Uint8Array(0);

/** Jobs waiting behind a ZSTD job's decoder load (answered in order, so none overtakes it). */
let queued = 0;
/**
 * Reads the job's strips from its file once it claims one (a band the scanning thread took whole needs no read). The
 * file is opened and closed each job: a descriptor kept open here would outlive the thread (terminate() runs no code
 * here, and descriptors belong to the process), one a scanned image; an open is ~10 µs against a band's decoding.
 */
function fileChunk(f: StripsInFile): Uint8Array {
  if (fileBytes.length < f.n) fileBytes = new Uint8Array(f.n);
  const chunk = fileBytes.subarray(0, f.n);
  const fd = openSync(f.path, 'r');
  try {
    for (let at = 0; at < f.n; ) {
      const got = readSync(fd, chunk, at, f.n - at, f.lo + at);
      if (!got) throw new Error(`truncated file at byte ${f.lo + at}`);
      at += got;
    }
  } finally {
    closeSync(fd);
  }
  return chunk;
}

/** The strips of a job this thread decodes, from `first` on. */
function decodeJob(m: Job): { first: number; done: StripDone[] } {
  let chunk: Uint8Array | undefined;
  const stripOf = (k: number) => {
    if (m.file) return (chunk ??= fileChunk(m.file)).subarray(m.file.starts[k], m.file.ends[k]);
    return m.packed!.subarray(k ? m.ends![k - 1] : 0, m.ends![k]);
  };
  const n = m.file ? m.file.ends.length : m.ends!.length;
  if (!m.claims) return { first: 0, done: Array.from({ length: n }, (_, k) => decodeStrip(stripOf(k), m.job, k, scratch, m.out)) };
  const done: StripDone[] = [];
  let first = n;
  for (let k = claimBack(m.claims); k >= 0; k = claimBack(m.claims)) {
    done.unshift(decodeStrip(stripOf(k), m.job, k, scratch, m.out));
    first = k;
  }
  return { first, done };
}

/** A job decoded and answered: its buffers handed back (transferred, not copied), or its error. */
function answer(m: Job): void {
  try {
    const { first, done } = decodeJob(m);
    const buffers = new Set<ArrayBuffer>();
    for (const d of done) for (const a of 'raw' in d ? [d.raw] : 'rgb' in d ? [d.rgb, d.valid] : []) if (a) buffers.add(a.buffer as ArrayBuffer);
    port.postMessage({ seq: m.seq, first, done }, [...buffers]);
  } catch (err) {
    port.postMessage({ seq: m.seq, error: (err as Error).message ?? String(err) });
  }
}

// Decodes (and, when asked, converts) the strips of each job in turn. A ZSTD job waits for the decoder's WebAssembly
// to load (once), and the jobs after it wait in order behind it.
const port = parentPort!;
let queue: Promise<void> = Promise.resolve();
port.on('message', (m: Job) => {
  if (m.job.compression !== ZSTD_COMPRESSION && !queued) return answer(m);
  queued++;
  queue = queue
    .then(() => (m.job.compression === ZSTD_COMPRESSION ? loadZstd() : undefined))
    .then(
      () => answer(m),
      (err) => port.postMessage({ seq: m.seq, error: (err as Error).message ?? String(err) }),
    )
    .finally(() => queued--);
});
