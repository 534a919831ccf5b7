import { createHash } from 'node:crypto';
import { existsSync, linkSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import { sniffImage } from './sniff-image';
import { dbOf, type Workspace } from './workspace';

/** Tables whose rows are credentials: they are emptied in an exported copy (the tables stay, empty). */
export const CREDENTIAL_TABLES = ['tiandi_sessions', 'tiandi_accounts'] as const;

export interface ExportWorkspaceResult {
  /** The copy written. */
  path: string;
  sizeBytes: number;
  /** Rows removed from the copy, by table. */
  removed: Record<(typeof CREDENTIAL_TABLES)[number], number>;
  /** Photo rows left out because their bytes are not an image or not the sha256 they are stored under. */
  invalidPhotos: number;
}

/**
 * Writes a copy of the workspace to hand out (QField phones, another office, an archive) without
 * credentials: an online copy with SQLite's backup API (consistent even while the server writes), then
 * account and session rows deleted from the copy, which is VACUUMed (so no freed page keeps a password
 * hash) and left in rollback-journal mode (one self-contained file, no -wal beside it). Every layer, photo
 * and the audit log stay; only photos addressed by their true sha256 and sniffed as images travel (a workspace
 * filled by an older version may hold other bytes, and a copy must not carry them on). The copy is written beside `outPath` and linked into place when complete; an
 * existing `outPath` is never overwritten (TIANDI_E_WORKSPACE_EXISTS), and the workspace is not changed.
 */
export async function exportWorkspace(ws: Workspace, outPath: string, opts: { signal?: AbortSignal } = {}): Promise<ExportWorkspaceResult> {
  const out = resolve(outPath);
  if (existsSync(out))
    throw new StoreError('TIANDI_E_WORKSPACE_EXISTS', `文件已存在 file exists: it is never overwritten; remove it or choose another name`, outPath);
  if (!existsSync(dirname(out))) throw new StoreError('TIANDI_E_INPUT', `目录不存在 folder does not exist: create it first`, outPath);
  if (resolve(dbOf(ws).name) === out) throw new StoreError('TIANDI_E_INPUT', '不能导出到工作区本身 the copy cannot be the workspace itself', outPath);
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  rmSync(partial, { force: true });
  try {
    await dbOf(ws).backup(partial);
    opts.signal?.throwIfAborted();
    const copy = new Database(partial, { fileMustExist: true });
    const removed = { tiandi_sessions: 0, tiandi_accounts: 0 };
    let invalidPhotos = 0;
    try {
      copy.pragma('journal_mode = DELETE');
      copy.pragma('secure_delete = ON');
      copy.transaction(() => {
        for (const t of CREDENTIAL_TABLES) {
          const exists = copy.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t);
          if (exists) removed[t] = copy.prepare(`DELETE FROM "${t}"`).run().changes;
        }
        invalidPhotos = dropInvalidPhotos(copy);
        const seq = copy.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`).get();
        if (seq) copy.prepare(`DELETE FROM sqlite_sequence WHERE name IN (${CREDENTIAL_TABLES.map(() => '?').join(', ')})`).run(...CREDENTIAL_TABLES);
      })();
      copy.exec('VACUUM');
    } finally {
      copy.close();
    }
    opts.signal?.throwIfAborted();
    try {
      linkSync(partial, out); // unlike rename, never replaces a file that appeared meanwhile
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST')
        throw new StoreError('TIANDI_E_WORKSPACE_EXISTS', `文件已存在 file exists: it is never overwritten; remove it or choose another name`, outPath);
      throw e;
    }
    return { path: out, sizeBytes: statSync(out).size, removed, invalidPhotos };
  } finally {
    rmSync(partial, { force: true });
    for (const suffix of ['-journal', '-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  }
}

/** Deletes photo rows whose bytes are not an image or do not hash to their sha256; returns how many. */
function dropInvalidPhotos(db: Database.Database): number {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'photos'`).get();
  if (!exists) return 0;
  const bad: number[] = [];
  for (const p of db.prepare('SELECT fid, sha256, bytes FROM photos').iterate() as Iterable<{ fid: number; sha256: string; bytes: Buffer }>) {
    if (sniffImage(p.bytes) === null || createHash('sha256').update(p.bytes).digest('hex') !== p.sha256) bad.push(p.fid);
  }
  const del = db.prepare('DELETE FROM photos WHERE fid = ?');
  for (const fid of bad) del.run(fid);
  return bad.length;
}
