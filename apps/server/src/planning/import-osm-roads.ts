import { Worker } from 'node:worker_threads';
import { ServerError } from '../errors';
import { MAX_ROAD_VERTICES } from './validate-roads';

/** Heap a worker may use to read one extract (a county's extract needs a few hundred MB). */
const WORKER_HEAP_MB = 1536;

/**
 * Stores the road ways of an OpenStreetMap extract (`.osm.pbf`, `.osm` XML, either gzipped; told from
 * the bytes) as the workspace's road network: read by the planner's OSM reader and written (audited)
 * in a worker thread, so a large extract does not stall the server. Faults are 400s saying what to
 * send instead; nothing is stored then.
 */
export async function importOsmRoads(
  bytes: Uint8Array,
  opts: { workspacePath: string; actor: string; source: string; name: string; maxInflatedBytes: number; maxVertices?: number },
): Promise<{ roads: number; vertices: number }> {
  const copy = new Uint8Array(bytes).buffer; // a copy of just these bytes (a small Buffer shares a pool), transferred to the worker
  const maxVertices = opts.maxVertices ?? MAX_ROAD_VERTICES;
  const workerData = {
    bytes: copy,
    name: opts.name,
    maxInflatedBytes: opts.maxInflatedBytes,
    maxVertices,
    workspacePath: opts.workspacePath,
    actor: opts.actor,
    source: opts.source,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./osm-roads-worker.mjs', import.meta.url), {
      workerData,
      transferList: [copy],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    worker.once('message', (m: { type: string; roads?: number; vertices?: number; message?: string; code?: string }) => {
      void worker.terminate();
      if (m.type === 'done') resolve({ roads: m.roads!, vertices: m.vertices! });
      else reject(osmFault(m.message ?? 'unreadable', m.code, opts.maxInflatedBytes, maxVertices));
    });
    worker.once('error', (err: Error & { code?: string }) => reject(osmFault(err.message, err.code, opts.maxInflatedBytes, maxVertices)));
  });
}

function osmFault(message: string, code: string | undefined, maxInflatedBytes: number, maxVertices: number): ServerError {
  const mb = Math.round(maxInflatedBytes / 1048576);
  const what =
    code === 'NO_ROADS'
      ? 'OSM 文件中没有道路 the OpenStreetMap extract has no ways with a highway tag: export roads, tracks and paths'
      : code === 'TOO_MANY_VERTICES'
        ? `道路顶点过多 more than ${maxVertices} road vertices: clip the extract to the survey area`
        : code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/i.test(message)
          ? `解压后超过 ${mb} MB inflates to more than ${mb} MB: clip the extract to the survey area`
          : code === 'TIANDI_E_ROADS'
            ? message.slice(0, 300)
            : code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? '路网过大，读取时内存不足 too large to read: clip the extract to the survey area'
              : `不是可读的 OSM 文件 not a readable OpenStreetMap extract (.osm.pbf, .osm, .osm.gz): ${message.slice(0, 200)}`;
  return new ServerError('TIANDI_E_VALIDATION', `body: ${what}`, { field: 'body' });
}
