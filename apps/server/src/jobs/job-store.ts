import fs from 'node:fs';
import path from 'node:path';
import type { Job } from './job';

/**
 * Jobs persisted as one JSON file (written to a temporary name, then renamed, so a crash leaves
 * the old or the new file, never half of one). Small: one record per uploaded image.
 */
export class JobStore {
  readonly file: string;
  private jobs = new Map<string, Job>();

  constructor(file: string) {
    this.file = file;
    if (fs.existsSync(file)) {
      const list = JSON.parse(fs.readFileSync(file, 'utf8')) as Job[];
      for (const j of list) this.jobs.set(j.id, j);
    }
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
    return this.list().reverse().find((j) => j.sha256 === sha256);
  }

  /** Inserts or replaces a job and writes the file. */
  put(job: Job): void {
    this.jobs.set(job.id, job);
    this.flush();
  }

  /** Replaces a job in memory only (frequent progress updates); the next put() persists it. */
  putVolatile(job: Job): void {
    this.jobs.set(job.id, job);
  }

  private flush(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.list(), null, 1));
    fs.renameSync(tmp, this.file);
  }
}
