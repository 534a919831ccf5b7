import { Worker } from 'node:worker_threads';
import type { RoadWay } from '@tiandi/store';
import { ServerError } from '../errors';
import { MAX_ROAD_VERTICES } from './validate-roads';

/** What the OSM worker receives. */
export interface OsmRoadsInput {
  bytes: ArrayBuffer;
  name: string;
  /** Largest size a gzipped extract may inflate to. */
  maxInflatedBytes: number;
}

/** Heap a worker may use to parse one extract (a county's extract needs a few hundred MB). */
const WORKER_HEAP_MB = 1536;

/**
 * The road ways of an OpenStreetMap extract (`.osm.pbf`, `.osm` XML, either gzipped; told from the
 * bytes), read by the planner's OSM reader in a worker thread so a large extract does not stall the
 * server. Faults are 400s saying what to send instead.
 */
export async function readOsmRoads(bytes: Uint8Array, opts: { name: string; maxInflatedBytes: number; maxVertices?: number }): Promise<{ ways: RoadWay[]; vertices: number }> {
  const copy = new Uint8Array(bytes).buffer; // a copy of just these bytes (a small Buffer shares a pool), transferred to the worker
  const input: OsmRoadsInput = { bytes: copy, name: opts.name, maxInflatedBytes: opts.maxInflatedBytes };
  const ways = await new Promise<RoadWay[]>((resolve, reject) => {
    const worker = new Worker(new URL('./osm-roads-worker.mjs', import.meta.url), { workerData: input, transferList: [copy], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.once('message', (m: { type: string; ways?: RoadWay[]; message?: string; code?: string }) => {
      void worker.terminate();
      if (m.type === 'done') resolve(m.ways!);
      else reject(osmFault(m.message ?? 'unreadable', m.code, opts));
    });
    worker.once('error', (err: Error & { code?: string }) => reject(osmFault(err.message, err.code, opts)));
  });
  const fail = (what: string): never => {
    throw new ServerError('TIANDI_E_VALIDATION', `body: ${what}`, { field: 'body' });
  };
  if (!ways.length) fail('OSM 文件中没有道路 the OpenStreetMap extract has no ways with a highway tag: export roads, tracks and paths');
  const vertices = ways.reduce((n, w) => n + w.coords.length, 0);
  const max = opts.maxVertices ?? MAX_ROAD_VERTICES;
  if (vertices > max) fail(`道路顶点过多 more than ${max} road vertices: clip the extract to the survey area`);
  return { ways, vertices };
}

function osmFault(message: string, code: string | undefined, opts: { maxInflatedBytes: number }): ServerError {
  const what =
    code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength/i.test(message)
      ? `解压后超过 ${Math.round(opts.maxInflatedBytes / 1048576)} MB inflates to more than ${Math.round(opts.maxInflatedBytes / 1048576)} MB: clip the extract to the survey area`
      : code === 'TIANDI_E_ROADS'
        ? message.slice(0, 300)
        : code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? '路网过大，读取时内存不足 too large to read: clip the extract to the survey area'
        : `不是可读的 OSM 文件 not a readable OpenStreetMap extract (.osm.pbf, .osm, .osm.gz): ${message.slice(0, 200)}`;
  return new ServerError('TIANDI_E_VALIDATION', `body: ${what}`, { field: 'body' });
}
