import { describe, expect, it } from 'vitest';
import { setLang } from '../i18n/index';
import { QUALITY_COLOURS, reasonsText } from './quality-reasons';
import { qualityZh } from './quality-line';

describe('poor-block reasons on the operator map', () => {
  it('names the reasons in the UI language, whether maplibre hands them as an array or as JSON text', () => {
    setLang('zh-CN');
    expect(reasonsText(['blurred', 'hazy'])).toBe('模糊、雾霾');
    expect(reasonsText('["overexposed","dark"]')).toBe('过曝、过暗');
    setLang('en');
    expect(reasonsText('["blurred","hazy"]')).toBe('blurred, hazy');
    expect(reasonsText(null)).toBe('');
  });

  it('has a colour for every reason the scan gives', () => {
    const reasons = Object.keys(qualityZh)
      .filter((k) => k !== 'quality.line')
      .map((k) => k.slice('quality.'.length));
    expect(Object.keys(QUALITY_COLOURS).sort()).toEqual(reasons.sort());
    expect(new Set(Object.values(QUALITY_COLOURS)).size).toBe(reasons.length);
  });
});
