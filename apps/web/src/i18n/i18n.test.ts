import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';
import { fillPlurals, getLang, registerMessages, setLang, t } from './index';

describe('i18n', () => {
  it('has the same keys in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const v of [...Object.values(en), ...Object.values(zhCN)]) expect(v.trim()).not.toBe('');
  });
  it('defaults to Chinese, switches, fills placeholders, and shows unknown keys', () => {
    expect(getLang()).toBe('zh-CN');
    expect(t('nav.planner')).toBe('规划');
    setLang('en');
    expect(t('nav.planner')).toBe('Planner');
    registerMessages({ 'zh-CN': { 'x.n': '共 {n} 个' }, en: { 'x.n': '{n} in all' } });
    expect(t('x.n', { n: 3 })).toBe('3 in all');
    expect(t('no.such.key')).toBe('no.such.key');
    setLang('zh-CN');
    expect(t('x.n', { n: 3 })).toBe('共 3 个');
  });
  it('chooses English plural forms by Intl.PluralRules, and leaves Chinese alone', () => {
    expect(fillPlurals('{n} {n, plural, one {report} other {reports}}', { n: 1 }, 'en')).toBe('{n} report');
    expect(fillPlurals('{n} {n, plural, one {report} other {reports}}', { n: 0 }, 'en')).toBe('{n} reports');
    expect(fillPlurals('{n} {n, plural, one {entry} other {entries}}', { n: 2 }, 'en')).toBe('{n} entries');
    expect(fillPlurals('{n, plural, one {x} other {y}}', {}, 'en')).toBe('{n, plural, one {x} other {y}}');
    setLang('en');
    expect(t('plan.selected', { n: 1 })).toBe('1 target chosen');
    expect(t('plan.selected', { n: 12 })).toBe('12 targets chosen');
    expect(t('plan.teamTotals', { stops: 1, duration: '1 h', km: 3 })).toBe('1 stop · 1 h · 3 km');
    setLang('zh-CN');
  });
  it('words every tiles code that can reach an upload answer in both languages (each reading error of docs/errors/tiles.md)', async () => {
    const { UPLOAD_CAUSES } = await import('../api/error-text');
    const { TILES_ERROR_CODES, TILES_BORROWED_CODES } = await import('@tiandi/tiles');
    const fs = await import('node:fs');
    const doc = fs.readFileSync(new URL('../../../../docs/errors/tiles.md', import.meta.url), 'utf8');
    const reading = doc.split('## Reading images')[1].split('\n## ')[0];
    const readCodes = [...reading.matchAll(/^\| `(TIANDI_E_\w+)`/gm)].map((m) => m[1]);
    expect(readCodes.length).toBeGreaterThan(5);
    expect(
      readCodes.filter((c) => !(UPLOAD_CAUSES as readonly string[]).includes(c)),
      'reading errors the upload answer cannot word',
    ).toEqual([]);
    for (const c of UPLOAD_CAUSES) {
      expect(c in TILES_ERROR_CODES || (TILES_BORROWED_CODES as readonly string[]).includes(c), `${c} is a tiles code`).toBe(true);
      expect(zhCN[`upload.cause.${c}`], `zh: upload.cause.${c}`).toBeTruthy();
      expect(en[`upload.cause.${c}`], `en: upload.cause.${c}`).toBeTruthy();
    }
  });
  it("has every view's strings in both languages, none empty, so no key falls back to the other language", async () => {
    const tables: [string, Record<string, string>, Record<string, string>][] = [];
    const field = await import('../field/field-messages');
    const manager = await import('../manager/manager-messages');
    tables.push(['app', zhCN, en], ['field', field.fieldZh, field.fieldEn], ['manager', manager.managerZh, manager.managerEn]);
    for (const [name, zh, enT] of tables) {
      expect(
        Object.keys(enT).filter((k) => !(k in zh)),
        `${name}: keys only in English`,
      ).toEqual([]);
      expect(
        Object.keys(zh).filter((k) => !(k in enT)),
        `${name}: keys only in Chinese`,
      ).toEqual([]);
      for (const [k, v] of [...Object.entries(zh), ...Object.entries(enT)]) expect(v.trim(), `${name}: ${k}`).not.toBe('');
    }
  });
});
