import path from 'node:path';

/** Longest file name stem written (bytes of UTF-8), leaving room for an extension under the usual 255-byte limit. */
const MAX_STEM_BYTES = 200;

/**
 * A file name stem made from an id that is data (a zone or certificate id may hold `/`, `..`, `\`, NUL or
 * anything else a GeoJSON property can): every character other than letters, digits, `.`, `_` and `-` becomes
 * `_`, a leading dot becomes `_` (no hidden files, no `..`), and the stem is cut to {@link MAX_STEM_BYTES}.
 *
 * @example
 * safeFileStem('C-../x-2026-0123abcd'); // 'C-.._x-2026-0123abcd'
 * safeFileStem('C-上寨村-2026-0123abcd'); // 'C-上寨村-2026-0123abcd'
 */
export function safeFileStem(id: string): string {
  let s = id
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^\./, '_');
  while (Buffer.byteLength(s) > MAX_STEM_BYTES) s = [...s].slice(0, -1).join('');
  return s || '_';
}

/** `dir/<safe stem><ext>`, asserted to be directly inside `dir` (a second guard, should the stem rules change). */
export function fileInside(dir: string, id: string, ext: string): string {
  const file = path.join(dir, safeFileStem(id) + ext);
  if (path.dirname(file) !== path.resolve(dir)) throw new Error(`internal: '${id}' would leave ${dir}`);
  return file;
}
