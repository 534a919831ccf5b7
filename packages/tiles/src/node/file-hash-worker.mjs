// The sha256 of one file, on a thread of its own (image-digests.ts, for large files): plain JavaScript, so it starts
// without tsx or a build. Posts { hex } or { message, code } once, then ends.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

try {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(workerData.path, { highWaterMark: 1 << 20 })) hash.update(chunk);
  parentPort.postMessage({ hex: hash.digest('hex') });
} catch (e) {
  parentPort.postMessage({ message: String(e?.message ?? e), code: e?.code });
}
