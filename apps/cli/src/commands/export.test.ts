import { dbOf } from '@tiandi/store/testing';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { AccountStore } from '@tiandi/store/accounts';
import { importReportsFile, verifyAudit, Workspace } from '@tiandi/store';
import { afterEach, describe, expect, it } from 'vitest';
import exportCommand from './export';

const hasOgrinfo = spawnSync('ogrinfo', ['--version']).status === 0;
if (!hasOgrinfo) console.warn('NOTICE: ogrinfo (gdal-bin) not found — reading the GeoPackage back with GDAL is skipped (.ci/run installs it).');

const fixtures = fileURLToPath(new URL('../../../../test/in/', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A workspace with reports, two accounts (scrypt hashes) and a live session. */
async function world() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-export-'));
  dirs.push(dir);
  const file = path.join(dir, 'w.gpkg');
  const ws = Workspace.create(file);
  await importReportsFile(ws, path.join(fixtures, 'qfield-reports.geojson'), 'test');
  const accounts = new AccountStore(dbOf(ws), { scrypt: { N: 1024, r: 8, p: 1, keyLen: 32 } });
  await accounts.addAccount({ name: 'admin1', role: 'admin', password: 'admin-pa55word' });
  await accounts.addAccount({ name: '一组', role: 'field', teamId: 'T1', password: 'field-pa55word' });
  const session = await accounts.login('一组', 'field-pa55word', 3600);
  const hashes = (dbOf(ws).prepare('SELECT password_hash FROM tiandi_accounts').all() as { password_hash: string }[]).map((r) => r.password_hash);
  const tokenSha = (dbOf(ws).prepare('SELECT token_sha256 FROM tiandi_sessions').get() as { token_sha256: string }).token_sha256;
  ws.close();
  return { dir, file, hashes, tokenSha, token: session!.token };
}

async function run(argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const io = {
    stdout: new Writable({ write: (c, _e, cb) => ((out += c), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((err += c), cb()) }),
    cwd,
    stdin: Readable.from([]),
  };
  const status = await exportCommand.run(argv, io);
  return { status, out, err };
}

const count = (ws: Workspace, table: string) => (dbOf(ws).prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;

describe('tiandi export', () => {
  it('writes a GeoPackage copy with every layer and no accounts, sessions or password hashes; the workspace keeps them', async () => {
    const w = await world();
    const sourceBefore = fs.readFileSync(w.file);
    const r = await run(['qfield.gpkg', '--workspace', w.file], w.dir);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^qfield\.gpkg: \d+ KiB; 已删除 removed 2 账号 accounts, 1 会话 sessions/);
    const copyPath = path.join(w.dir, 'qfield.gpkg');
    expect(fs.readdirSync(w.dir).sort()).toEqual(['qfield.gpkg', 'w.gpkg']); // no partial, -wal or -journal left

    // No credential bytes anywhere in the file (free pages included): hashes, their salts, the session.
    const bytes = fs.readFileSync(copyPath);
    for (const h of w.hashes) {
      expect(bytes.includes(Buffer.from(h))).toBe(false);
      for (const part of h.split('$').filter((x) => x.length >= 16)) expect(bytes.includes(Buffer.from(part))).toBe(false);
    }
    expect(bytes.includes(Buffer.from(w.tokenSha))).toBe(false);
    expect(bytes.toString('latin1')).not.toMatch(/scrypt\$\d+\$/);
    // One self-contained file: rollback journal, not WAL (header bytes 18–19 = 1).
    expect([bytes[18], bytes[19]]).toEqual([1, 1]);
    expect(bytes.subarray(68, 72).toString('latin1')).toBe('GPKG');

    const copy = Workspace.open(copyPath);
    try {
      expect(count(copy, 'tiandi_accounts')).toBe(0);
      expect(count(copy, 'tiandi_sessions')).toBe(0);
      expect(count(copy, 'reports')).toBe(2);
      expect(count(copy, 'targets')).toBe(1);
      expect(verifyAudit(copy).ok).toBe(true);
      expect(await new AccountStore(dbOf(copy)).resolveSession(w.token)).toBeNull();
    } finally {
      copy.close();
    }
    const src = Workspace.open(w.file);
    try {
      expect(count(src, 'tiandi_accounts')).toBe(2);
      expect(count(src, 'tiandi_sessions')).toBe(1);
    } finally {
      src.close();
    }
    expect(sourceBefore.length).toBeGreaterThan(0);

    if (hasOgrinfo) {
      const info = spawnSync('ogrinfo', ['-ro', '-so', copyPath], { encoding: 'utf8' });
      expect(info.status, info.stderr).toBe(0);
      expect(info.stdout).toContain("using driver `GPKG' successful");
      for (const layer of ['zones', 'images', 'candidates', 'targets', 'plans', 'stops', 'reports', 'certifications'])
        expect(info.stdout).toMatch(new RegExp(`\\d+: ${layer} \\(`));
      const reports = spawnSync('ogrinfo', ['-ro', '-so', copyPath, 'reports'], { encoding: 'utf8' });
      expect(reports.stdout).toContain('Feature Count: 2');
      expect(reports.stderr).not.toMatch(/ERROR/);
    }
  });

  it('never overwrites a file, and refuses bad input in one line with exit 2', async () => {
    const w = await world();
    fs.writeFileSync(path.join(w.dir, 'taken.gpkg'), 'keep me');
    const cases: [string[], RegExp][] = [
      [['taken.gpkg', '--workspace', w.file], /^tiandi: taken\.gpkg: .*never overwritten.*\[TIANDI_E_WORKSPACE_EXISTS\]\n$/],
      [['copy.txt', '--workspace', w.file], /^tiandi: copy\.txt: .*must end in \.gpkg/],
      [['missing/copy.gpkg', '--workspace', w.file], /^tiandi: missing\/copy\.gpkg: .*folder does not exist/],
      [['w.gpkg', '--workspace', w.file], /^tiandi: w\.gpkg: .*never overwritten/],
      [[], /^tiandi: export: .*missing <out\.gpkg>/],
      [['a.gpkg', 'b.gpkg', '--workspace', w.file], /unexpected argument 'b\.gpkg'/],
      [['a.gpkg', '--workspace', path.join(w.dir, 'none.gpkg')], /workspace not found/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(argv, w.dir);
      expect(r.status, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
    expect(fs.readFileSync(path.join(w.dir, 'taken.gpkg'), 'utf8')).toBe('keep me');
    expect(fs.readdirSync(w.dir).sort()).toEqual(['taken.gpkg', 'w.gpkg']);
  });
});
