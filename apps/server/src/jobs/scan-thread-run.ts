import type { ScanThreadInput, ScanThreadMessage } from './scan-thread';

// A server that is gone (killed, crashed) leaves no scan running on: the channel closing ends this process.
process.on('disconnect', () => process.exit(0));
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
