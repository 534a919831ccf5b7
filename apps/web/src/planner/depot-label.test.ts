import { afterEach, describe, expect, it } from 'vitest';
import { setLang } from '../i18n/index';
import { depotLabel } from './depot-label';

const context = { depot: [102.3015558, 27.9005746] as [number, number], depotName: '依洛乡派出所', depotNamePinyin: 'Yiluo Township Police Station' };

describe('depotLabel', () => {
  afterEach(() => setLang('zh-CN'));
  it('names the stored depot in the UI language, romanised in English where the data has it', () => {
    expect(depotLabel(context, context.depot)).toBe('依洛乡派出所 27.90057, 102.30156');
    setLang('en');
    expect(depotLabel(context, context.depot)).toBe('Yiluo Township Police Station 27.90057, 102.30156');
    // An older server sends no romanised name: the Chinese one stays rather than nothing.
    expect(depotLabel({ depot: context.depot, depotName: '依洛乡派出所' }, context.depot)).toBe('依洛乡派出所 27.90057, 102.30156');
  });
  it('gives a depot moved on the map no name, and no line without a depot', () => {
    setLang('en');
    expect(depotLabel(context, [102.31, 27.91])).toBe('27.91000, 102.31000');
    expect(depotLabel(context, null)).toBeNull();
  });
});
