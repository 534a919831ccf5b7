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
  const en = message.slice(cut).replace(/^[\s:：;,，—–-]+/, '').trim();
  if (!/[A-Za-z]{2}/.test(en)) return message;
  return lang === 'zh-CN' ? zh : en;
}

/**
 * What to show the user for a failed call, in the UI's language: a coded error in the app's own
 * words (with the server's parameters), anything else in the language picked from the server's
 * bilingual message.
 */
export function errorText(err: unknown, lang: Lang = getLang()): string {
  const e = err as Partial<ApiError> & { body?: { params?: Record<string, string | number>; field?: string } | null };
  // Both the app's ApiError and the field view's (which keeps the whole body) carry the code.
  if (e && typeof e.code === 'string' && CODED.has(e.code)) {
    return t(`error.${e.code}`, { ...(e.params ?? e.body?.params ?? {}), field: e.field ?? e.body?.field ?? '' });
  }
  return pickLanguage(String(e?.message ?? err), lang);
}
