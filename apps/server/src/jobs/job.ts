import type { JobProgress, JobStatus, JobView } from '@tiandi/api';

/** State and progress of a background scan job: the API contract's, as clients see them. */
export type { JobProgress, JobStatus };

/**
 * A scan job: one uploaded orthophoto → scan → import into the workspace. The server's record is the API's view
 * of it plus what stays on the server (file paths, arrival order, the uploader).
 */
export interface Job extends Omit<JobView, 'result'> {
  /** Order of arrival (1, 2, 3 …); the queue runs jobs in this order. */
  seq: number;
  kind: 'scan';
  /** The validated, complete image file in the server's data folder. */
  imagePath: string;
  /** The account that uploaded the file: the actor of the workspace import in the audit log. */
  uploadedBy?: string | null;
  /** What the scan produced once done. */
  result: JobResult | null;
}

/** Outcome of a finished scan job. */
export interface JobResult {
  /** Scan output folder (candidates.geojson, footprint.geojson, heatmap.tif, summary.json). */
  scanDir: string;
  candidates: number;
  /** Workspace ids created or found by the import. */
  imageId: string | null;
  scanId: string | null;
  /** True once the scan is in the workspace (import is idempotent, so a replay changes nothing). */
  imported: boolean;
  summary?: Record<string, unknown>;
}

/** The progress of a job that has not started. */
export const NO_PROGRESS: JobProgress = Object.freeze({
  stage: 'tiles',
  tilesDone: 0,
  tilesTotal: 0,
  mpxPerS: 0,
  etaS: null,
  fraction: 0,
  windowsDone: 0,
  windowsTotal: 0,
});
