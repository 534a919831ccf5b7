import { dbOf } from '@tiandi/store/testing';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Workspace } from '@tiandi/store';
import { afterEach, describe, expect, it } from 'vitest';
import reports from './reports';

const fixtures = fileURLToPath(new URL('../../../../test/in/', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-reports-'));
  dirs.push(d);
  const file = path.join(d, 'w.gpkg');
  Workspace.create(file).close();
  return file;
}

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const io = {
    stdout: new Writable({ write: (c, _e, cb) => ((out += c), cb()) }),
    stderr: new Writable({ write: (c, _e, cb) => ((err += c), cb()) }),
    cwd: fixtures,
    stdin: Readable.from([]),
  };
  const status = await reports.run(argv, io);
  return { status, out, err };
}

function stored(file: string) {
  const ws = Workspace.open(file);
  try {
    return dbOf(ws).prepare('SELECT report_id, verdict, what, accuracy_m, observed_at, team, plant_count, notes FROM reports ORDER BY report_id').all();
  } finally {
    ws.close();
  }
}

describe('tiandi reports import: exports of other field apps', () => {
  it('imports a KoboToolbox CSV (";", group prefixes, geopoint columns, uuid: ids) and names the bad row', async () => {
    const ws = workspace();
    const r = await run(['import', 'kobo-reports.csv', '--workspace', ws, '--actor', 'test']);
    expect(r.status).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^tiandi: kobo-reports\.csv: 第 4 行 row 4: .*verdict 'maybe' not recognised/)]);
    expect(r.out).toContain('kobo-reports.csv: 2 条已保存 stored');
    expect(stored(ws)).toEqual([
      {
        report_id: 'kobo-0001',
        verdict: 'confirmed_poppy',
        what: null,
        accuracy_m: 4.5,
        observed_at: '2026-04-20T09:12:00.000+08:00',
        team: null,
        plant_count: 120,
        notes: null,
      },
      {
        report_id: 'kobo-0002',
        verdict: 'not_poppy',
        what: '油菜',
        accuracy_m: 3,
        observed_at: '2026-04-20T10:05:00.000+08:00',
        team: null,
        plant_count: null,
        notes: null,
      },
    ]);
    // Idempotent: the same export again stores nothing new.
    const again = await run(['import', 'kobo-reports.csv', '--workspace', ws, '--actor', 'test']);
    expect(again.out).toContain('0 条已保存 stored, 2 条已存在 already stored, 1 条被拒 rejected');
  });

  it('imports a QField GeoJSON (uuid, result, datetime, horizontal_accuracy, Chinese verdict) and names the bad feature', async () => {
    const ws = workspace();
    const r = await run(['import', 'qfield-reports.geojson', '--workspace', ws, '--actor', 'test']);
    expect(r.status).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^tiandi: qfield-reports\.geojson: 第 3 行 row 3: .*observed_at missing or not a date/)]);
    expect(stored(ws)).toEqual([
      {
        report_id: '{6f1c2e7a-0001}',
        verdict: 'nothing_found',
        what: null,
        accuracy_m: 3.2,
        observed_at: '2026-04-21T08:30:00+08:00',
        team: 'B',
        plant_count: null,
        notes: '平地',
      },
      {
        report_id: '{6f1c2e7a-0002}',
        verdict: 'confirmed_poppy',
        what: null,
        accuracy_m: 5,
        observed_at: '2026-04-21T09:10:00+08:00',
        team: 'B',
        plant_count: 40,
        notes: null,
      },
    ]);
  });

  it('refuses a CSV with no usable columns in one line, storing nothing', async () => {
    const ws = workspace();
    const bad = path.join(path.dirname(ws), 'odd.csv');
    fs.writeFileSync(bad, 'report_id,verdict,colour\nr2,nothing_found,red\n');
    const r = await run(['import', bad, '--workspace', ws]);
    expect(r.status).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^tiandi: .*odd\.csv: .*no column for observed_at, lon,lat.*'colour'.*\[TIANDI_E_INPUT\]/);
    expect(stored(ws)).toEqual([]);
  });
});

describe('tiandi reports import: hostile and careless files', () => {
  const header = 'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes';
  const row = (id: string, photos = '', notes = 'ok') => `${id},,nothing_found,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,,,${photos},${notes}`;

  it('does not read ../../../../etc/hostname named as a photo: the row is rejected, exit 2, no photo stored', async () => {
    const ws = workspace();
    const csv = path.join(path.dirname(ws), 'r.csv');
    fs.writeFileSync(csv, [header, row('r1'), row('r2', '../../../../etc/hostname')].join('\n'));
    const r = await run(['import', csv, '--workspace', ws, '--actor', 'test']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/第 3 行 row 3: photos: .*'\.\.\/\.\.\/\.\.\/\.\.\/etc\/hostname' contains '\.\.'/);
    expect(r.out).toContain('1 条已保存 stored, 0 条已存在 already stored, 1 条被拒 rejected');
    const w = Workspace.open(ws);
    try {
      expect(dbOf(w).prepare('SELECT count(*) AS n FROM photos').get()).toEqual({ n: 0 });
    } finally {
      w.close();
    }
  });

  it('refuses a CSV with an unclosed quote in row 3, exit 2, rather than storing 2 rows with 4–7 in the notes', async () => {
    const ws = workspace();
    const csv = path.join(path.dirname(ws), 'q.csv');
    fs.writeFileSync(csv, [header, row('r1'), row('r2'), row('r3', '', '"slope, east'), row('r4'), row('r5'), row('r6'), row('r7')].join('\n'));
    const r = await run(['import', csv, '--workspace', ws]);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/q\.csv: .*第 4 行 line 4: 引号未闭合 unclosed quote.*\[TIANDI_E_INPUT\]/);
    expect(stored(ws)).toEqual([]);
  });
});

describe('tiandi reports import --photos', () => {
  const header = 'report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes';
  it('reads photos from the folder given, stores them by sha256, and refuses a --photos that is not a folder', async () => {
    const ws = workspace();
    const dir = path.dirname(ws);
    fs.mkdirSync(path.join(dir, 'pics'));
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    fs.writeFileSync(path.join(dir, 'pics', 'IMG_1.jpg'), jpeg);
    const csv = path.join(dir, 'r.csv');
    fs.writeFileSync(csv, `${header}\nr1,,nothing_found,,100.002,25.008,5,2026-04-20T11:00:00+08:00,A,,,IMG_1.jpg,\n`);
    const missing = await run(['import', csv, '--photos', path.join(dir, 'nope'), '--workspace', ws]);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/nope: 照片文件夹不存在 --photos is not a folder/);
    const r = await run(['import', csv, '--photos', path.join(dir, 'pics'), '--workspace', ws]);
    expect(r.status).toBe(0);
    const w = Workspace.open(ws);
    try {
      expect(dbOf(w).prepare('SELECT mime, size_bytes FROM photos').all()).toEqual([{ mime: 'image/jpeg', size_bytes: jpeg.length }]);
    } finally {
      w.close();
    }
  });
});
