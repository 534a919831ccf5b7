import { openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
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
/** Files opened here, by path: the scan reads one file at a time, which stays open until the thread ends. */
const fds = new Map<string, number>();

/** Reads the job's strips from its file once it claims one (a band the scanning thread took whole needs no read). */
function fileChunk(f: StripsInFile): Uint8Array {
  let fd = fds.get(f.path);
  if (fd === undefined) fds.set(f.path, (fd = openSync(f.path, 'r')));
  if (fileBytes.length < f.n) fileBytes = new Uint8Array(f.n);
  const chunk = fileBytes.subarray(0, f.n);
  for (let at = 0; at < f.n; ) {
    const got = readSync(fd, chunk, at, f.n - at, f.lo + at);
    if (!got) throw new Error(`truncated file at byte ${f.lo + at}`);
    at += got;
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

// Decodes (and, when asked, converts) the strips of each job in turn and hands their buffers back (transferred, not copied).
const port = parentPort!;
port.on('message', (m: Job) => {
  try {
    const { first, done } = decodeJob(m);
    const buffers = new Set<ArrayBuffer>();
    for (const d of done) for (const a of 'raw' in d ? [d.raw] : 'rgb' in d ? [d.rgb, d.valid] : []) if (a) buffers.add(a.buffer as ArrayBuffer);
    port.postMessage({ seq: m.seq, first, done }, [...buffers]);
  } catch (err) {
    port.postMessage({ seq: m.seq, error: (err as Error).message ?? String(err) });
  }
});
