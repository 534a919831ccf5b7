import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';
import { getLang, registerMessages, setLang, t } from './index';

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
});
