import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeoTiff } from '@tiandi/tiles/write';
import { scanInThread } from './scan-thread';

const MODEL = join(import.meta.dirname, '../../../../packages/tiles/fixtures/models/redness-seg');
let dir: string;
let image: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiandi-scan-thread-'));
  image = join(dir, 'red.tif');
  // 0.1 m, 1200 × 900 px of grass with one red square (the redness model's "plot").
  const W = 1200;
  await writeGeoTiff(image, {
    width: W,
    height: 900,
    bands: 3,
    epsg: 32648,
    geoTransform: [500000, 0.1, 0, 2800000, 0, -0.1],
    tileSize: 256,
    readRows: (y0, n) => {
      const a = new Uint8Array(W * n * 3);
      for (let i = 0; i < W * n; i++) {
        const x = i % W,
          y = y0 + Math.floor(i / W);
        const red = x > 500 && x < 620 && y > 400 && y < 520;
        a.set(red ? [220, 40, 50] : [70, 120, 50], i * 3);
      }
      return a;
    },
  });
}, 60_000);

describe('scanInThread', () => {
  it('scans in a process of its own, reporting progress, and resolves with the summary', async () => {
    const seen: number[] = [];
    const s = await scanInThread({ images: [image], modelDir: MODEL, outDir: join(dir, 'out') }, (p) => seen.push(p.tilesDone), new AbortController().signal);
    expect(s.images).toBe(1);
    expect(s.candidates).toBe(1);
    expect(s.failed).toEqual([]);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBe(s.tiles_total);
    expect(readdirSync(join(dir, 'out')).sort()).toContain('candidates.geojson');
  }, 120_000);

  it('runs at low priority, and ends when the server is gone (killed) instead of scanning on', async (ctx) => {
    if (process.platform !== 'linux') return ctx.skip();
    const script = `import('${join(import.meta.dirname, 'scan-thread.ts')}').then((m) => m.scanInThread(${JSON.stringify({ images: [image], modelDir: MODEL, outDir: join(dir, 'orphan') })}, () => process.stdout.write('P'), new AbortController().signal))`;
    const server = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const scanning = new Promise((r) => server.stdout!.once('data', r));
    // The scan process by its entry file: tsx may also start an esbuild service under the same parent.
    const childOf = () => spawnSync('pgrep', ['-P', String(server.pid), '-f', 'scan-thread-entry'], { encoding: 'utf8' }).stdout.trim();
    let child = '';
    for (let i = 0; i < 100 && !child; i++) {
      await new Promise((r) => setTimeout(r, 100));
      child = childOf();
    }
    expect(child).toMatch(/^\d+$/);
    // Every thread of the scan process at nice 10 (field 19 of /proc/<pid>/stat), once it has started.
    const nice = () =>
      new Set(
        readdirSync(`/proc/${child}/task`).map((t) =>
          Number(
            spawnSync('cat', [`/proc/${child}/task/${t}/stat`], { encoding: 'utf8' })
              .stdout.split(') ')[1]
              ?.split(' ')[16],
          ),
        ),
      );
    for (let i = 0; i < 50 && [...nice()].some((v) => v !== 10); i++) await new Promise((r) => setTimeout(r, 100));
    expect(nice()).toEqual(new Set([10]));
    // Killed mid-scan (at its first progress).
    await scanning;
    server.kill('SIGKILL');
    let alive = true;
    for (let i = 0; i < 200 && alive; i++) {
      await new Promise((r) => setTimeout(r, 100));
      alive =
        spawnSync('kill', ['-0', child]).status === 0 &&
        !/ Z /.test(spawnSync('ps', ['-o', 'stat=', '-p', child], { encoding: 'utf8' }).stdout.padStart(3) + ' ');
    }
    expect(alive).toBe(false);
    // Gone before it finished: it wrote nothing (scanning on, it would have written its output folder).
    expect(readdirSync(dir)).not.toContain('orphan');
  }, 60_000);

  it('rejects with TIANDI_E_ABORTED when aborted, and writes nothing', async () => {
    const ac = new AbortController();
    // Aborted at the first row's progress, as the jobs panel's cancel button does mid-scan.
    await expect(scanInThread({ images: [image], modelDir: MODEL, outDir: join(dir, 'aborted') }, () => ac.abort(), ac.signal)).rejects.toMatchObject({
      code: 'TIANDI_E_ABORTED',
    });
    expect(readdirSync(dir)).not.toContain('aborted');
  }, 120_000);
});
