import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import type { ScanThreadInput, ScanThreadMessage } from './scan-thread';

/**
 * The scan yields to the server: nice 10 for every thread of this process. On Linux a nice value is a thread's own,
 * so each running thread is reniced and threads started later (the scan's workers, the pool decoding JPEG blocks)
 * inherit it; elsewhere the process's priority is set.
 */
function lowerPriority(): void {
  try {
    for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), 10);
  } catch {
    try {
      setPriority(10);
    } catch {
      // Not permitted: the scan runs at the server's priority.
    }
  }
}

lowerPriority();
const abort = new AbortController();
const send = (m: ScanThreadMessage) => process.send!(m);
process.on('message', async (m: { type: string; input?: ScanThreadInput }) => {
  if (m.type === 'abort') abort.abort();
  if (m.type !== 'start') return;
  try {
    const { scanImages } = await import('@tiandi/tiles/node');
    const summary = await scanImages({ ...m.input!, signal: abort.signal, onProgress: (progress) => send({ type: 'progress', progress }) });
    send({ type: 'done', summary });
  } catch (err) {
    const e = err as Error & { code?: string };
    send({ type: 'error', code: e.code, message: e.message ?? String(err) });
  }
  process.disconnect();
});
process.send!({ type: 'ready' });
