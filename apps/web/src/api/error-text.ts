import { getLang, t, type Lang } from '../i18n/index';
import type { ApiError } from './api';

/** Codes the web app words itself, in the user's language (parameters come from the server's `params`). */
const CODED = new Set([
  'TIANDI_E_OFFLINE',
  'TIANDI_E_AUTH_REQUIRED',
  'TIANDI_E_AUTH_BAD_CREDENTIALS',
  'TIANDI_E_AUTH_ROLE',
  'TIANDI_E_AUTH_TEAM',
  'TIANDI_E_AUTH_ORIGIN',
  'TIANDI_E_AUTH_THROTTLED',
  'TIANDI_E_UNAUTHENTICATED',
  'TIANDI_E_FORBIDDEN',
  'TIANDI_E_NOT_FOUND',
  'TIANDI_E_INTERNAL',
  'TIANDI_E_UNAVAILABLE',
  'TIANDI_E_CHECKSUM_MISMATCH',
]);

/** Whether the web app words this code itself (an `error.<code>` key in both languages). */
export function isWorded(code: string | undefined): boolean {
  return code !== undefined && CODED.has(code);
}

/**
 * The tiles package's codes (docs/errors/tiles.md) that can reach an upload answer as `params.cause` of a
 * TIANDI_E_UPLOAD_REJECTED: what opening an orthophoto raises (the server validates uploads with the tiles reader),
 * INTERNAL for anything untyped, and GSD_TOO_COARSE, the scan's own refusal of the same file. Each has an
 * `upload.cause.<code>` key in both languages (tested).
 */
export const UPLOAD_CAUSES = [
  'TIANDI_E_NOT_TIFF',
  'TIANDI_E_CORRUPT_TIFF',
  'TIANDI_E_EMPTY_IMAGE',
  'TIANDI_E_TOO_LARGE',
  'TIANDI_E_NO_GEOREF',
  'TIANDI_E_UNKNOWN_CRS',
  'TIANDI_E_UNSUPPORTED_COMPRESSION',
  'TIANDI_E_UNSUPPORTED_SAMPLES',
  'TIANDI_E_GSD_TOO_COARSE',
  'TIANDI_E_INTERNAL',
] as const;

/**
 * An upload refusal worded in the UI's language from its code and params ("file.tif: why, what to do"), or null
 * when the answer carries no tiles cause the app knows (the caller falls back to the server's line).
 */
export function uploadRefusalText(code: string | undefined, params: Record<string, string | number> | undefined): string | null {
  const cause = params?.cause;
  if (code !== 'TIANDI_E_UPLOAD_REJECTED' || typeof cause !== 'string' || !(UPLOAD_CAUSES as readonly string[]).includes(cause)) return null;
  const why = t(`upload.cause.${cause}`, params);
  return params?.file ? `${params.file}: ${why}` : why;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * One language out of a server message written "中文 English" (the CLI's bilingual style): the
 * text up to the last Chinese character (with the full-width punctuation right after it) in Chinese,
 * the rest in English. A message in only one language comes back whole.
 */
export function pickLanguage(message: string, lang: Lang): string {
  let last = -1;
  for (let i = 0; i < message.length; i++) if (CJK.test(message[i])) last = i;
  if (last < 0) return message;
  let cut = last + 1;
  while (cut < message.length && /[）」』】。，：；！？、]/.test(message[cut])) cut++;
  const zh = message.slice(0, cut).trim();
  const en = message
    .slice(cut)
    .replace(/^[\s:：;,，—–-]+/, '')
    .trim();
  if (!/[A-Za-z]{2}/.test(en)) return message;
  return lang === 'zh-CN' ? zh : en;
}

/**
 * What to show the user for a failed call, in the UI's language: a coded error in the app's own
 * words (with the server's parameters), anything else in the language picked from the server's
 * bilingual message.
 */
export function errorText(err: unknown, lang: Lang = getLang()): string {
  const e = err as Partial<ApiError>;
  if (e && typeof e.code === 'string' && CODED.has(e.code)) {
    return t(`error.${e.code}`, { ...(e.params ?? {}), field: e.field ?? '' });
  }
  return pickLanguage(String(e?.message ?? err), lang);
}
