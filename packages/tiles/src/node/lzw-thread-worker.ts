import { parentPort } from 'node:worker_threads';
import { claimBack, decodeStrip, type BandOut, type StripDone, type StripJob } from '../read/strip-away';

/**
 * A job: strips packed one after another in `packed` (strip k is [ends[k - 1], ends[k])), decoded as `job` says;
 * with `claims`, only those this thread claims from the back (the scanning thread takes the rest from the front).
 */
interface Job {
  seq: number;
  packed: Uint8Array;
  ends: number[];
  job: StripJob;
  claims?: Int32Array;
  /** Where the strips claimed go, converted (shared memory, the band's layout). */
  out?: BandOut;
}

/** Decoded bytes of the strip being converted, reused from strip to strip. */
let scratchBytes = new Uint8Array(0);
const scratch = (n: number) => (scratchBytes.length >= n ? scratchBytes : (scratchBytes = new Uint8Array(n))).subarray(0, n);

const stripOf = (m: Job, k: number) => m.packed.subarray(k ? m.ends[k - 1] : 0, m.ends[k]);

/** The strips of a job this thread decodes, from `first` on. */
function decodeJob(m: Job): { first: number; done: StripDone[] } {
  if (!m.claims) return { first: 0, done: m.ends.map((_, k) => decodeStrip(stripOf(m, k), m.job, k, scratch, m.out)) };
  const done: StripDone[] = [];
  let first = m.ends.length;
  for (let k = claimBack(m.claims); k >= 0; k = claimBack(m.claims)) {
    done.unshift(decodeStrip(stripOf(m, k), m.job, k, scratch, m.out));
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
