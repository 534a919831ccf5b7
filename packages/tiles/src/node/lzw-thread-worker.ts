import { parentPort } from 'node:worker_threads';
import { decodeStrip, type StripJob } from '../read/strip-away';

/** A job: strips packed one after another in `packed` (strip k is [ends[k - 1], ends[k])), decoded as `job` says. */
interface Job {
  seq: number;
  packed: Uint8Array;
  ends: number[];
  job: StripJob;
}

// Decodes (and, when asked, converts) the strips of each job in turn and hands their buffers back (transferred, not copied).
const port = parentPort!;
port.on('message', (m: Job) => {
  try {
    const done = m.ends.map((end, k) => decodeStrip(m.packed.subarray(k ? m.ends[k - 1] : 0, end), m.job, k));
    const buffers = new Set<ArrayBuffer>();
    for (const d of done) for (const a of 'raw' in d ? [d.raw] : [d.rgb, d.valid]) if (a) buffers.add(a.buffer as ArrayBuffer);
    port.postMessage({ seq: m.seq, done }, [...buffers]);
  } catch (err) {
    port.postMessage({ seq: m.seq, error: (err as Error).message ?? String(err) });
  }
});
