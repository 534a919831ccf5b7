import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

/** Languages of the UI; zh-CN is the default. */
export type Lang = 'zh-CN' | 'en';

const tables: Record<Lang, Record<string, string>> = { 'zh-CN': { ...zhCN }, en: { ...en } };
const listeners = new Set<(lang: Lang) => void>();
let current: Lang = initialLang();

function initialLang(): Lang {
  try {
    const saved = globalThis.localStorage?.getItem('tiandi.lang');
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // No storage (private mode, tests): default language.
  }
  return 'zh-CN';
}

/**
 * The translation of `key` in the current language, with `{name}` placeholders filled from `vars`.
 * Unknown keys come back as the key itself so a missing string is visible, never blank.
 *
 * @example t('upload.progress', { pct: 42 })
 */
export function t(key: MessageKey | (string & {}), vars?: Record<string, string | number>): string {
  const text = tables[current][key] ?? tables['zh-CN'][key] ?? key;
  if (!vars) return text;
  return fillPlurals(text, vars, current).replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/**
 * Chooses plural forms written `{n, plural, one {report} other {reports}}` (ICU's shape) by the
 * language's `Intl.PluralRules`; `other` is the fallback. Chinese strings need none.
 */
export function fillPlurals(text: string, vars: Record<string, string | number>, lang: Lang): string {
  return text.replace(/\{(\w+), plural,((?:\s*\w+ \{[^{}]*\})+)\s*\}/g, (m, name: string, body: string) => {
    const n = Number(vars[name]);
    if (!(name in vars) || !Number.isFinite(n)) return m;
    const forms = Object.fromEntries([...body.matchAll(/(\w+) \{([^{}]*)\}/g)].map((f) => [f[1], f[2]]));
    return forms[new Intl.PluralRules(lang).select(n)] ?? forms.other ?? m;
  });
}

/** The current language. */
export function getLang(): Lang {
  return current;
}

/** Switches language, remembers it, and notifies listeners (views re-render their text). */
export function setLang(lang: Lang): void {
  current = lang;
  try {
    globalThis.localStorage?.setItem('tiandi.lang', lang);
  } catch {
    // Not persisted; still switched for this page.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  for (const fn of listeners) fn(lang);
}

/** Calls `fn` after each language switch; returns the unsubscribe function. */
export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Adds a view's own strings (field, manager …) to the tables, so each view keeps its strings in
 * its own folder: `registerMessages({ 'zh-CN': fieldZh, en: fieldEn })`. Both languages must have
 * the same keys.
 */
export function registerMessages(messages: Record<Lang, Record<string, string>>): void {
  Object.assign(tables['zh-CN'], messages['zh-CN']);
  Object.assign(tables.en, messages.en);
}

/** A place's name in the current language: the romanised one (the data's name_pinyin) in English when there is one. */
export function placeName(name: string | null | undefined, pinyin: string | null | undefined, lang: Lang = current): string | null {
  return (lang === 'en' && pinyin ? pinyin : name) ?? null;
}

/** Number formatting in the current language. */
export function fmtNumber(n: number, digits = 0): string {
  return n.toLocaleString(current, { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export type { MessageKey };
