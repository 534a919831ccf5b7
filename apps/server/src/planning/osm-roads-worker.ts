import { gunzipSync } from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import { waysFromOsm } from '@tiandi/planner';
import { setRoads, Workspace } from '@tiandi/store';
import { stringTags } from './string-tags';

// Reads an OSM extract and stores its roads off the server's event loop (its own workspace connection;
// the store's transactions and audit chain hold across connections): other requests keep flowing.
const input = workerData as {
  bytes: ArrayBuffer;
  name: string;
  maxInflatedBytes: number;
  maxVertices: number;
  workspacePath: string;
  actor: string;
  source: string;
};
try {
  let bytes = new Uint8Array(input.bytes);
  // A gzip bomb stops at maxInflatedBytes instead of filling the memory.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = new Uint8Array(gunzipSync(bytes, { maxOutputLength: input.maxInflatedBytes }));
  const ways = waysFromOsm(bytes, input.name).map((w, i) => ({
    id: String(w.id ?? i),
    coords: w.coords,
    tags: stringTags(w.tags),
    ...(w.nodes ? { nodes: w.nodes } : {}),
  }));
  const vertices = ways.reduce((n, w) => n + w.coords.length, 0);
  if (!ways.length) parentPort!.postMessage({ type: 'error', code: 'NO_ROADS' });
  else if (vertices > input.maxVertices) parentPort!.postMessage({ type: 'error', code: 'TOO_MANY_VERTICES' });
  else {
    const ws = Workspace.open(input.workspacePath);
    try {
      setRoads(ws, ways, input.source, input.actor);
    } finally {
      ws.close();
    }
    parentPort!.postMessage({ type: 'done', roads: ways.length, vertices });
  }
} catch (err) {
  const e = err as { message?: string; code?: string };
  parentPort!.postMessage({ type: 'error', message: e.message ?? String(err), code: e.code });
}
