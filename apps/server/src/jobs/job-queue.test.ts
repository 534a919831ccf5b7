import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readScanJobs, Workspace } from '@tiandi/store';
import type { Job } from './job';
import { JobQueue, type ScanRunner } from './job-queue';

const dirs: string[] = [];
const open: Workspace[] = [];
afterEach(() => {
  for (const ws of open.splice(0)) ws.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmpFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-jobs-'));
  dirs.push(d);
  const file = path.join(d, 'ws.gpkg');
  Workspace.create(file).close();
  return file;
}
/** A connection to the workspace file, as a (re)started server opens it. */
function tmpWorkspace(file = tmpFile()): Workspace {
  const ws = Workspace.open(file);
  open.push(ws);
  return ws;
}
const input = (sha: string) => ({ imagePath: `/x/${sha}.tif`, imageName: `${sha}.tif`, sha256: sha.padEnd(64, '0'), sizeBytes: 10 });

/** A runner that scans "tiles" one by one, counting how often each image ran. */
function countingRunner(runs: Map<string, number>, opts: { tiles?: number; failOn?: string; gate?: Promise<void> } = {}): ScanRunner {
  return async (job, { onProgress, signal }) => {
    runs.set(job.imageName, (runs.get(job.imageName) ?? 0) + 1);
    const total = opts.tiles ?? 4;
    for (let i = 1; i <= total; i++) {
      if (opts.gate) await opts.gate;
      if (signal.aborted) throw new Error('aborted');
      onProgress({ tilesDone: i, tilesTotal: total, pixelsDone: i * 1e6 });
    }
    if (job.imageName === opts.failOn) throw new Error('不是 GeoTIFF not a GeoTIFF');
    return { scanDir: '/scan', candidates: 3, imageId: 'img', scanId: 'scan', imported: true };
  };
}

describe('JobQueue', () => {
  it('runs jobs in order, reports progress to 100 %, and refuses to queue the same content twice', async () => {
    const runs = new Map<string, number>();
    const q = new JobQueue({ workspace: tmpWorkspace(), runner: countingRunner(runs) });
    const seen: Job[] = [];
    q.on('job', (j: Job) => seen.push(j));
    q.start();
    const a = q.enqueue(input('a'));
    const b = q.enqueue(input('b'));
    const again = q.enqueue(input('a'));
    expect(again.existing).toBe(true);
    expect(again.job.id).toBe(a.job.id);
    await q.whenIdle();
    expect(q.get(a.job.id)!.status).toBe('done');
    expect(q.get(b.job.id)!.progress.fraction).toBe(1);
    expect(q.get(b.job.id)!.result!.candidates).toBe(3);
    expect(seen.filter((j) => j.id === a.job.id).map((j) => j.progress.tilesDone)).toContain(4);
    expect(q.enqueue(input('a')).existing).toBe(true);
    expect([...runs.entries()]).toEqual([
      ['a.tif', 1],
      ['b.tif', 1],
    ]);
    await q.close();
  });

  it("reports the second stage (the verifier's windows) with its own fraction after the tiles", async () => {
    const runner: ScanRunner = async (_job, { onProgress }) => {
      for (let i = 1; i <= 4; i++) onProgress({ tilesDone: i, tilesTotal: 4, pixelsDone: i * 1e6 });
      onProgress({ tilesDone: 4, tilesTotal: 4, pixelsDone: 4e6, windowsDone: 0, windowsTotal: 300 });
      onProgress({ tilesDone: 4, tilesTotal: 4, pixelsDone: 4e6, windowsDone: 256, windowsTotal: 300 });
      onProgress({ tilesDone: 4, tilesTotal: 4, pixelsDone: 4e6, windowsDone: 300, windowsTotal: 300 });
      return { scanDir: '/scan', candidates: 1, imageId: 'img', scanId: 'scan', imported: true };
    };
    const q = new JobQueue({ workspace: tmpWorkspace(), runner });
    const seen: Job[] = [];
    q.on('job', (j: Job) => seen.push(j));
    q.start();
    q.enqueue(input('v'));
    await q.whenIdle();
    const running = seen.filter((j) => j.status === 'running' && j.progress.tilesTotal > 0).map((j) => j.progress);
    const tiles = running.filter((p) => p.stage === 'tiles');
    const verify = running.filter((p) => p.stage === 'verify');
    expect(tiles.at(-1)).toMatchObject({ tilesDone: 4, fraction: 1, windowsDone: 0, windowsTotal: 0 });
    expect(verify.map((p) => [p.windowsDone, p.windowsTotal, Math.round(p.fraction * 100)])).toEqual([
      [0, 300, 0],
      [256, 300, 85],
      [300, 300, 100],
    ]);
    expect(running.indexOf(verify[0])).toBeGreaterThan(running.indexOf(tiles.at(-1)!));
    await q.close();
  });

  it('records failures with their reason and retries on request', async () => {
    const runs = new Map<string, number>();
    const q = new JobQueue({ workspace: tmpWorkspace(), runner: countingRunner(runs, { failOn: 'bad.tif' }) });
    q.start();
    const { job } = q.enqueue(input('bad'));
    await q.whenIdle();
    expect(q.get(job.id)).toMatchObject({ status: 'failed', error: '不是 GeoTIFF not a GeoTIFF' });
    expect(q.retry(job.id)).toBe(true);
    await q.whenIdle();
    expect(runs.get('bad.tif')).toBe(2);
    expect(q.retry('nope')).toBe(false);
    await q.close();
  });

  it('after a restart, re-runs the job that was running and keeps queued ones, once each', async () => {
    const file = tmpFile();
    const runs = new Map<string, number>();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q1 = new JobQueue({ workspace: tmpWorkspace(file), runner: countingRunner(runs, { gate }) });
    q1.start();
    const a = q1.enqueue(input('a')).job;
    q1.enqueue(input('b'));
    await new Promise((r) => setTimeout(r, 20));
    expect(q1.get(a.id)!.status).toBe('running');
    const closing = q1.close();
    release();
    await closing;
    // The workspace still says running / queued: a crash or shutdown mid-scan.
    const onDisk = readScanJobs<Job>(tmpWorkspace(file));
    expect(onDisk.map((j) => j.status)).toEqual(['running', 'queued']);

    const runs2 = new Map<string, number>();
    const q2 = new JobQueue({ workspace: tmpWorkspace(file), runner: countingRunner(runs2) });
    expect(q2.get(a.id)!.status).toBe('queued');
    q2.start();
    await q2.whenIdle();
    expect(q2.list().map((j) => [j.imageName, j.status, j.attempts])).toEqual([
      ['a.tif', 'done', 2],
      ['b.tif', 'done', 1],
    ]);
    expect([...runs2.values()]).toEqual([1, 1]);
    await q2.close();
  });

  it('cancels a queued job', async () => {
    const q = new JobQueue({ workspace: tmpWorkspace(), runner: countingRunner(new Map()) });
    const { job } = q.enqueue(input('c'));
    expect(q.cancel(job.id)).toBe(true);
    expect(q.get(job.id)!.status).toBe('cancelled');
    expect(q.cancel(job.id)).toBe(false);
    await q.close();
  });
});
