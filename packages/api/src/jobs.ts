/** State of a background scan job. */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Progress of a running scan, as pushed to the browser. */
export interface JobProgress {
  /** `tiles`: the first stage over the tile rows; `verify`: the model's second stage over its windows (then `fraction` and `etaS` are of that stage). */
  stage: 'tiles' | 'verify';
  tilesDone: number;
  tilesTotal: number;
  /** Throughput so far in megapixels per second. */
  mpxPerS: number;
  /** Estimated seconds left, or null when unknown. */
  etaS: number | null;
  /** 0–1. */
  fraction: number;
  /** The verifier's windows scored so far and in all (0 in the tiles stage). */
  windowsDone: number;
  windowsTotal: number;
}

/**
 * A scan job as clients see it (`GET /api/jobs`, `/api/jobs/:id`, the `job` events of `/api/jobs/events`): one uploaded
 * orthophoto → scan → import into the workspace. No server file paths.
 */
export interface JobView {
  id: string;
  status: JobStatus;
  /** The file name the user uploaded. */
  imageName: string;
  sha256: string;
  sizeBytes: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** How many times the job was (re)started. */
  attempts: number;
  progress: JobProgress;
  /** Why it failed (zh + en). */
  error: string | null;
  result: {
    candidates: number;
    imageId: string | null;
    scanId: string | null;
    /** True once the scan is in the workspace. */
    imported: boolean;
    /** The scan's summary.json (its `quality` says how much imagery was too poor to count). */
    summary: Record<string, unknown> | null;
  } | null;
}
