import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { Workspace } from '@tiandi/store';
import { afterEach, describe, expect, it } from 'vitest';
import { surveyWorkspace, VILLAGES, WHOLE_IMAGE } from '../../../../packages/store/src/test-world.test-util';
import { safeFileStem } from '../safe-file-name';
import certify from './certify';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A workspace where zone `zoneId` is fully flown with nothing found: certifiable at once. */
async function certifiableWorkspace(zoneId: string) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-certify-'));
  dirs.push(root);
  const cwd = path.join(root, 'a', 'b');
  fs.mkdirSync(cwd, { recursive: true });
  const file = path.join(cwd, 'w.gpkg');
  // The shared survey world's village V01 under the id `zoneId`, flown in one image with nothing found.
  const v01 = VILLAGES.features[0];
  const zones = { type: 'FeatureCollection', features: [{ ...v01, properties: { ...v01.properties, zone_id: zoneId, level: 'village' } }] };
  const ws = await surveyWorkspace(file, { zones, actor: 'lead', scanActor: 'op', scanDir: path.join(root, 'scan'), images: [WHOLE_IMAGE] });
  ws.close();
  return { root, cwd, file };
}

async function run(cwd: string, argv: string[]) {
  let out = '';
  let err = '';
  const io = {
    stdout: new Writable({ write: (c, _e, cb) => ((out += c), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((err += c), cb()) }),
    cwd,
    stdin: Readable.from([]),
  };
  return { status: await certify.run(argv, io), out, err };
}

/** Every file under `dir`, relative. */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

describe('tiandi certify --out: a zone id is data, never a path', () => {
  it("writes the certificate of zone '../x' inside --out, nowhere else", async () => {
    const w = await certifiableWorkspace('../x');
    const before = filesUnder(w.root);
    const r = await run(w.cwd, ['--zone', '../x', '--season', '2026', '--sign', '王乡长', '--out', 'certs', '--workspace', w.file]);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const added = filesUnder(w.root).filter((f) => !before.includes(f) && !/\.gpkg-(wal|shm)$/.test(f));
    expect(added).toEqual([
      expect.stringMatching(/^a\/b\/certs\/C-\.\._x-2026-[0-9a-f]{12}\.html$/),
      expect.stringMatching(/^a\/b\/certs\/C-\.\._x-2026-[0-9a-f]{12}\.json$/),
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(w.root, added[1]), 'utf8')).zoneId).toBe('../x');
  });

  it('keeps a deep path id and a very long id in one safe file name, with no stack trace', async () => {
    const deep = `${'../'.repeat(8)}tmp/${'深'.repeat(120)}/x`;
    const w = await certifiableWorkspace(deep);
    const r = await run(w.cwd, ['--zone', deep, '--season', '2026', '--sign', 'm', '--out', 'certs', '--workspace', w.file]);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const files = fs.readdirSync(path.join(w.cwd, 'certs'));
    expect(files).toHaveLength(2);
    for (const f of files) expect(Buffer.byteLength(f)).toBeLessThanOrEqual(255);
  });

  it('refuses an --out it cannot write before anything is recorded', async () => {
    const w = await certifiableWorkspace('V01');
    fs.writeFileSync(path.join(w.cwd, 'taken'), 'a file, not a folder');
    const r = await run(w.cwd, ['--zone', 'V01', '--season', '2026', '--sign', 'm', '--out', 'taken/certs', '--workspace', w.file]);
    expect(r.status).not.toBe(0);
    expect(r.err).toMatch(/^tiandi: taken\/certs: 无法写入输出文件夹 cannot write certificates into this folder \(E[A-Z]+\)/);
    expect(r.err).not.toMatch(/\n\s+at /);
    const ws = Workspace.open(w.file);
    try {
      expect(dbOf(ws).prepare('SELECT count(*) AS n FROM certifications').get()).toEqual({ n: 0 });
    } finally {
      ws.close();
    }
  });
});

describe('safeFileStem', () => {
  it('turns separators, NUL and leading dots into _, keeps Chinese, and caps the length', () => {
    expect(safeFileStem('../x')).toBe('_._x');
    expect(safeFileStem('C-a\\b\0c/d')).toBe('C-a_b_c_d');
    expect(safeFileStem('C-上寨村-2026')).toBe('C-上寨村-2026');
    expect(Buffer.byteLength(safeFileStem('深'.repeat(500)))).toBeLessThanOrEqual(200);
    expect(safeFileStem('')).toBe('_');
  });
});
