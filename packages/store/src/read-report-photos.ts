import { lstat, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { sniffImage, type PhotoMime } from './sniff-image';

/** Largest photo a report file may bring in (a phone's full-size HEIC is ~5 MB). */
export const MAX_PHOTO_BYTES = 50 * 1024 * 1024;

const SHA = /^[0-9a-f]{64}$/;

/** A photo read from disk, or why it cannot be. */
export type PhotoLookup = { ok: true; bytes: Uint8Array; mime: PhotoMime } | { ok: false; message: string };

/**
 * Why a photo name from a report file is not a plain relative name inside its folder, or null:
 * absolute paths, drive letters, `..` segments, NUL, backslashes and empty segments are refused, so a
 * name is data and never reaches out of the folder (`../../../../etc/hostname` is refused here).
 */
export function unsafePhotoName(name: string): string | null {
  if (name.includes('\0')) return 'contains a NUL byte';
  if (isAbsolute(name) || /^[a-zA-Z]:/.test(name) || name.startsWith('~')) return 'is an absolute path';
  if (name.includes('\\')) return 'contains a backslash (use / between folders)';
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) return "contains '..'";
  if (parts.some((p) => p === '' || p === '.')) return 'has an empty or "." path segment';
  return null;
}

function inside(dir: string, file: string): boolean {
  const r = relative(dir, file);
  return r !== '' && !r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r);
}

/**
 * Reads the photo `name` from the first of `dirs` that holds it: the name must be a plain relative path
 * ({@link unsafePhotoName}), the file must be a regular file whose real path (symlinks followed) stays inside
 * that folder, at most {@link MAX_PHOTO_BYTES}, and a JPEG, PNG, HEIC or WebP by content.
 */
export async function readReportPhoto(name: string, dirs: readonly string[], signal?: AbortSignal): Promise<PhotoLookup> {
  const unsafe = unsafePhotoName(name);
  if (unsafe)
    return { ok: false, message: `照片路径无效 photo '${name}' ${unsafe}: name photos relative to the report file's folder (or --photos <dir>), without '..'` };
  for (const dir of dirs) {
    const candidate = resolve(dir, name);
    let real: string;
    let realDir: string;
    try {
      [real, realDir] = await Promise.all([realpath(candidate), realpath(dir)]);
    } catch {
      continue;
    }
    if (!inside(realDir, real))
      return { ok: false, message: `照片在文件夹之外 photo '${name}' leads outside ${dir} (a symbolic link?): copy the photo into the folder` };
    const st = await lstat(real);
    if (!st.isFile()) return { ok: false, message: `照片不是文件 photo '${name}' is not a regular file` };
    if (st.size > MAX_PHOTO_BYTES)
      return { ok: false, message: `照片过大 photo '${name}' is ${(st.size / 2 ** 20).toFixed(0)} MB (limit ${MAX_PHOTO_BYTES / 2 ** 20} MB)` };
    const bytes = await readFile(real, { signal });
    const mime = sniffImage(bytes);
    if (!mime) return { ok: false, message: `不是图片 photo '${name}' is not a JPEG, PNG, HEIC or WebP image (by its content)` };
    return { ok: true, bytes, mime };
  }
  const where = dirs.length > 1 ? `${dirs[0]} or ${dirs.slice(1).join(', ')}` : dirs[0];
  return { ok: false, message: `找不到照片 photo '${name}' not found in ${where} (name it relative to the report file, or give the sha256 of a stored photo)` };
}

/** Whether a photo name is a sha256 (of a photo already stored), not a file name. */
export const isPhotoSha = (name: string) => SHA.test(name.toLowerCase());
