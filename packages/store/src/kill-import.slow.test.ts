import { dbOf } from './workspace';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Workspace } from './workspace';
import { importZones } from './import-zones';
import { setSeason } from './set-season';
import { importScanDir } from './import-scan-dir';
import { verifyAudit } from './verify-audit';
import { SEASON, VILLAGES, rect, tmp, villageScan, writeScanDir, type CandSpec } from './test-world.test-util';

const TABLES = ['zones', 'images', 'candidates', 'targets', 'reports', 'certifications', 'scans', 'audit_log', 'seasons', 'photos'];

function snapshot(path: string) {
  const ws = Workspace.open(path);
  try {
    const counts = Object.fromEntries(TABLES.map((t) => [t, (dbOf(ws).prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
    const targets = dbOf(ws).prepare('SELECT target_id, status, sources_json FROM targets ORDER BY target_id').all();
    return { counts, targets, integrity: dbOf(ws).pragma('integrity_check', { simple: true }), audit: verifyAudit(ws) };
  } finally {
    ws.close();
  }
}

describe('a killed import', () => {
  it('leaves the workspace valid and exactly as it was before', async () => {
    const dir = tmp();
    const path = join(dir, 'ws.gpkg');
    const ws = Workspace.create(path);
    importZones(ws, VILLAGES, { level: 'village' }, 'lead');
    setSeason(ws, SEASON, 'lead');
    await importScanDir(ws, villageScan(join(dir, 'scan1')), 'op');
    ws.close();
    const before = snapshot(path);

    // A big scan: 3000 candidates over a second village.
    const cands: CandSpec[] = [];
    for (let i = 0; i < 3000; i++) {
      const x = 100.01 + (i % 60) * 0.00015,
        y = 25 + Math.floor(i / 60) * 0.00015;
      cands.push({ id: 'k' + i, image: 'BIG.tif', poly: rect(x, y, x + 0.0001, y + 0.0001), score: 0.7 });
    }
    const big = writeScanDir(join(dir, 'scan2'), [{ image: 'BIG.tif', poly: rect(100.01, 25, 100.02, 25.01) }], cands);

    // The child imports and pauses inside the transaction after its first progress report; we kill it there.
    const child = join(dir, 'child.mts');
    writeFileSync(
      child,
      `
      import { Workspace } from ${JSON.stringify(resolve(__dirname, 'workspace.ts'))};
      import { importScanDir } from ${JSON.stringify(resolve(__dirname, 'import-scan-dir.ts'))};
      const ws = Workspace.open(process.argv[2]);
      await importScanDir(ws, process.argv[3], 'op', { onProgress: (done, total) => {
        process.stdout.write('progress ' + done + '/' + total + '\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10000);
      } });
      process.stdout.write('finished\\n');
    `,
    );
    const tsx = createRequire(import.meta.url).resolve('tsx/esm');
    const proc = spawn(process.execPath, ['--import', tsx, child, path, big], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    const killed = await new Promise<{ code: number | null; signal: string | null }>((done) => {
      proc.stdout.on('data', (d) => {
        out += d;
        if (out.includes('progress')) proc.kill('SIGKILL');
      });
      proc.on('exit', (code, signal) => done({ code, signal }));
    });
    expect(err).toBe('');
    expect(out).toMatch(/^progress 500\/3000/);
    expect(out).not.toContain('finished');
    expect(killed.signal).toBe('SIGKILL');

    const after = snapshot(path);
    expect(after.integrity).toBe('ok');
    expect(after.audit.ok).toBe(true);
    expect(after).toEqual(before);

    // And the same import run to the end afterwards records everything.
    const ws2 = Workspace.open(path);
    const r = await importScanDir(ws2, big, 'op');
    expect(r.candidatesAdded).toBe(3000);
    ws2.close();
  }, 120_000);
});
