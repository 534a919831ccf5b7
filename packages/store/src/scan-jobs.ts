import { dbOf, type Workspace } from './workspace';

/**
 * What the workspace needs of a server scan job to list it in QGIS; the whole record (progress,
 * result …) is kept beside these columns as JSON and given back as it was put.
 */
export interface ScanJobRecord {
  id: string;
  seq: number;
  status: string;
  imageName: string;
  imagePath: string;
  sha256: string;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

/** Every stored scan job as it was put, by arrival (seq). */
export function readScanJobs<T extends ScanJobRecord>(ws: Workspace): T[] {
  const rows = dbOf(ws).prepare('SELECT job_json FROM scan_jobs ORDER BY seq, created_at').all() as { job_json: string }[];
  return rows.map((r) => JSON.parse(r.job_json) as T);
}

/**
 * Inserts or replaces a scan job, in one transaction. Not audited: a job's queue state is the server's
 * bookkeeping, and what the scan found is audited when it is recorded.
 */
export function putScanJob(ws: Workspace, job: ScanJobRecord): void {
  ws.write('server', () => {
    dbOf(ws)
      .prepare(`INSERT INTO scan_jobs (job_id, seq, status, image_name, image_path, sha256, created_at, finished_at, error, job_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(job_id) DO UPDATE SET seq = excluded.seq, status = excluded.status, image_name = excluded.image_name, image_path = excluded.image_path, sha256 = excluded.sha256,
        created_at = excluded.created_at, finished_at = excluded.finished_at, error = excluded.error, job_json = excluded.job_json`)
      .run(job.id, job.seq, job.status, job.imageName, job.imagePath, job.sha256, job.createdAt, job.finishedAt, job.error, JSON.stringify(job));
  });
}
