import { parentPort, workerData } from 'node:worker_threads';
import type { ScanThreadInput, ScanThreadMessage } from './scan-thread';

const port = parentPort!;
const abort = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'abort') abort.abort();
});
const send = (m: ScanThreadMessage) => port.postMessage(m);
try {
  const { scanImages } = await import('@tiandi/tiles/node');
  const input = workerData as ScanThreadInput;
  const summary = await scanImages({ ...input, signal: abort.signal, onProgress: (progress) => send({ type: 'progress', progress }) });
  send({ type: 'done', summary });
} catch (err) {
  const e = err as Error & { code?: string };
  send({ type: 'error', code: e.code, message: e.message ?? String(err) });
}
port.close();
