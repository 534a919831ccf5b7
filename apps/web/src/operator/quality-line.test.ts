import { describe, expect, it } from 'vitest';
import { setLang } from '../i18n/index';
import { qualityEn, qualityLine, qualityZh } from './quality-line';

describe('qualityLine', () => {
  it('says why poor imagery does not count, in both languages, and nothing when all is fine', () => {
    const q = { blocks_poor: 3, poor_area_km2: 0.0123, by_reason: { blurred: 2, overexposed: 1 } };
    setLang('zh-CN');
    expect(qualityLine(q)).toBe('影像质量：3 块较差（模糊 2, 过曝 1），0.0123 km² 不计入覆盖，按缺口补飞');
    setLang('en');
    expect(qualityLine(q)).toBe('Imagery quality: 3 poor blocks (blurred 2, over-exposed 1); 0.0123 km² not counted as coverage, re-fly them as gaps');
    expect(qualityLine({ blocks_poor: 0, poor_area_km2: 0, by_reason: {} })).toBeNull();
    expect(qualityLine(undefined)).toBeNull();
    expect(Object.keys(qualityEn).sort()).toEqual(Object.keys(qualityZh).sort());
  });
});
