import type { RowResult } from '../scan/scan-row';
import type { ScanPlan } from '../scan/scan-plan';
import type { KeepSpec } from './keep-plan';

/** Messages from the scan coordinator to a worker thread. */
export type WorkerRequest =
  | { type: 'model'; modelDir: string }
  | {
      type: 'open';
      path: string;
      crs?: string;
      plan: ScanPlan;
      cacheBytes: number;
      segmentTiles: number;
      batchSize: number;
      reduced?: { path: string; factor: number };
      keep?: KeepSpec;
      /** The factor JPEG blocks are decoded smaller by for the first stage (GeoTiffSource.scaleJpegLevel), when they are. */
      scaled?: number;
    }
  /** Scan tile row unit[0], columns [unit[1], unit[2]); start reading `next`'s first window meanwhile. */
  | { type: 'row'; unit: [number, number, number]; next?: [number, number, number] }
  | { type: 'close' }
  | { type: 'exit' };

/** Replies from a worker thread. */
export type WorkerReply = { type: 'ok' } | { type: 'row'; result: RowResult; blocksDecoded: number } | { type: 'error'; code?: string; message: string };
