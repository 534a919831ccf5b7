import { gunzipSync } from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import { waysFromOsm } from '@tiandi/planner';
import { stringTags } from './string-tags';

// Parses an OSM extract off the server's event loop: other requests keep flowing meanwhile.
const input = workerData as { bytes: ArrayBuffer; name: string; maxInflatedBytes: number };
try {
  let bytes = new Uint8Array(input.bytes);
  // A gzip bomb stops at maxInflatedBytes instead of filling the memory.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(gunzipSync(bytes, { maxOutputLength: input.maxInflatedBytes }));
  const ways = waysFromOsm(bytes, input.name).map((w, i) => ({ id: String(w.id ?? i), coords: w.coords, tags: stringTags(w.tags), ...(w.nodes ? { nodes: w.nodes } : {}) }));
  parentPort!.postMessage({ type: 'done', ways });
} catch (err) {
  const e = err as { message?: string; code?: string };
  parentPort!.postMessage({ type: 'error', message: e.message ?? String(err), code: e.code });
}
