import fs from 'node:fs';
import path from 'node:path';
import { ServerError } from '../errors';

/** A photo's name everywhere in the server: the sha256 of its bytes, 64 lowercase hex digits. */
export const PHOTO_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Checks a report's `photos` value: an array of sha256 names (64 lowercase hex) of photos sent
 * through `PUT /api/field/photos/:sha256`. Anything else (a path, `../x`, a URL, upper case) is a
 * 400 naming the field, so no client value ever becomes a file name.
 */
export function photoRefsOf(value: unknown, field = 'photos'): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ServerError('TIANDI_E_VALIDATION', `${field}: 照片列表必须是数组 must be an array of sha256 names`, { field });
  value.forEach((v, i) => {
    if (typeof v !== 'string' || !PHOTO_SHA256.test(v)) {
      const shown = typeof v === 'string' ? `'${v.slice(0, 80)}'` : typeof v;
      throw new ServerError(
        'TIANDI_E_VALIDATION',
        `${field}.${i}: 照片只能用 sha256 指定 a photo is named by the sha256 of its bytes (64 lowercase hex digits), not ${shown}: PUT /api/field/photos/<sha256> first`,
        { field },
      );
    }
  });
  return value as string[];
}

/**
 * The server's folder of uploaded photos waiting for their report: `<dir>/<sha256>` and
 * `<sha256>.type`. Every method takes a sha256 and refuses anything else before building a path,
 * so nothing outside this folder is ever read, written or deleted.
 */
export class PhotoStore {
  constructor(readonly dir: string) {}

  /** Stores bytes under their sha256 (no-op if already there). Written to a temporary name, then renamed. */
  put(sha256: string, bytes: Buffer, mime: string): void {
    const file = this.file(sha256);
    if (fs.existsSync(file)) return;
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.writeFileSync(tmp, bytes);
      fs.writeFileSync(`${file}.type`, mime);
      fs.renameSync(tmp, file);
    } catch (err) {
      // A full disk leaves nothing behind: no temporary file, no type without its photo.
      fs.rmSync(tmp, { force: true });
      if (!fs.existsSync(file)) fs.rmSync(`${file}.type`, { force: true });
      throw err;
    }
  }

  /** The photo's bytes and type, or null when it was not uploaded (or already attached to a report). */
  read(sha256: string): { bytes: Buffer; mime: string | null } | null {
    const file = this.file(sha256);
    if (!fs.existsSync(file)) return null;
    const mime = fs.existsSync(`${file}.type`) ? fs.readFileSync(`${file}.type`, 'utf8') : null;
    return { bytes: fs.readFileSync(file), mime };
  }

  /** Bytes of photos waiting for their report. */
  heldBytes(): number {
    let total = 0;
    for (const f of this.names()) total += fs.statSync(path.join(this.dir, f), { throwIfNoEntry: false })?.size ?? 0;
    return total;
  }

  /** Deletes photos (and stray temporary files) older than `maxAgeMs` that no report claimed; returns how many. */
  sweep(maxAgeMs: number, now = Date.now()): number {
    let removed = 0;
    for (const f of fs.existsSync(this.dir) ? fs.readdirSync(this.dir) : []) {
      const st = fs.statSync(path.join(this.dir, f), { throwIfNoEntry: false });
      if (!st || now - st.mtimeMs <= maxAgeMs) continue;
      if (PHOTO_SHA256.test(f)) {
        this.remove(f);
        removed++;
      } else if (f.endsWith('.tmp')) fs.rmSync(path.join(this.dir, f), { force: true });
    }
    return removed;
  }

  private names(): string[] {
    return fs.existsSync(this.dir) ? fs.readdirSync(this.dir).filter((f) => PHOTO_SHA256.test(f)) : [];
  }

  /** Drops a photo once it is stored in the workspace. */
  remove(sha256: string): void {
    const file = this.file(sha256);
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.type`, { force: true });
  }

  private file(sha256: string): string {
    if (!PHOTO_SHA256.test(sha256))
      throw new ServerError('TIANDI_E_VALIDATION', `照片名无效 not a photo sha256: '${String(sha256).slice(0, 80)}'`, { field: 'photos' });
    return path.join(this.dir, sha256);
  }
}
