import { parentPort } from 'node:worker_threads';
import { lzwDecode } from '../read/lzw-decode';

/** A job: LZW strips packed one after another in `packed` (strip k is [ends[k - 1], ends[k])), each of `expected` bytes decoded. */
interface Job {
  seq: number;
  packed: Uint8Array;
  ends: number[];
  expected: number;
}

// Decodes the strips of each job in turn and hands their buffers back (transferred, not copied).
const port = parentPort!;
port.on('message', (m: Job) => {
  try {
    const raws = m.ends.map((end, k) => lzwDecode(m.packed.subarray(k ? m.ends[k - 1] : 0, end), m.expected));
    port.postMessage(
      { seq: m.seq, raws },
      raws.map((r) => r.buffer as ArrayBuffer),
    );
  } catch (err) {
    port.postMessage({ seq: m.seq, error: (err as Error).message ?? String(err) });
  }
});
