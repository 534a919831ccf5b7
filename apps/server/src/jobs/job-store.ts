import { putScanJob, readScanJobs, type Workspace } from '@tiandi/store';
import type { Job } from './job';

/**
 * Jobs persisted in the workspace's scan_jobs table (one row per job, written in a transaction, so a
 * crash leaves the old or the new row, never half of one), cached in memory. Small: one record per uploaded image.
 */
export class JobStore {
  private jobs = new Map<string, Job>();

  constructor(private readonly ws: Workspace) {
    for (const j of readScanJobs<Job>(ws)) this.jobs.set(j.id, j);
  }

  /** Every job, oldest first. */
  list(): Job[] {
    return [...this.jobs.values()].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.createdAt.localeCompare(b.createdAt));
  }

  /** The next arrival number. */
  nextSeq(): number {
    let max = 0;
    for (const j of this.jobs.values()) max = Math.max(max, j.seq ?? 0);
    return max + 1;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** The newest job for a given file content, if any. */
  findBySha256(sha256: string): Job | undefined {
    return this.list()
      .reverse()
      .find((j) => j.sha256 === sha256);
  }

  /** Inserts or replaces a job and writes its row. */
  put(job: Job): void {
    this.jobs.set(job.id, job);
    putScanJob(this.ws, job);
  }

  /** Replaces a job in memory only (frequent progress updates); the next put() persists it. */
  putVolatile(job: Job): void {
    this.jobs.set(job.id, job);
  }
}
