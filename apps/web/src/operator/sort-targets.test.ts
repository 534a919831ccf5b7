import { describe, expect, it } from 'vitest';
import { setLang } from '../i18n/index';
import { isUnverified, sortTargets, statusKey, verifyCell, villageOf } from './sort-targets';

const rows = [
  { id: 'a', score_max: 0.5, score_verify: 0.995, area_m2: 30, zone: 'V02', status: 'detected' },
  { id: 'b', score_max: 0.9, score_verify: null, area_m2: 10, zone: 'V01', status: 'planned' },
  { id: 'c', score_max: 0.5, score_verify: 0.999, area_m2: 20, zone: null, status: 'detected' },
];

describe('sortTargets', () => {
  it('sorts by score descending with id ties, by area ascending, and by zone with nulls first', () => {
    expect(sortTargets(rows, 'score_max', true).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(sortTargets(rows, 'area_m2', false).map((r) => r.id)).toEqual(['b', 'c', 'a']);
    expect(sortTargets(rows, 'zone', false).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(rows.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('sorts by the verifier score with unverified targets last in either direction', () => {
    expect(sortTargets(rows, 'score_verify', true).map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect(sortTargets(rows, 'score_verify', false).map((r) => r.id)).toEqual(['a', 'c', 'b']);
  });
});

describe('isUnverified', () => {
  it('marks scan targets without a verifier score, never ground findings', () => {
    expect(isUnverified({ origin: 'scan', score_verify: null })).toBe(true);
    expect(isUnverified({ origin: 'scan' })).toBe(true);
    expect(isUnverified({ origin: 'scan', score_verify: 0.99 })).toBe(false);
    expect(isUnverified({ origin: 'ground', score_verify: null })).toBe(false);
    // The server's explicit mark wins: a verifier score from one image does not clear another image's unjudged candidate.
    expect(isUnverified({ origin: 'scan', score_verify: 0.01, unverified: true })).toBe(true);
    expect(isUnverified({ origin: 'scan', score_verify: null, unverified: false })).toBe(false);
    expect(isUnverified({ origin: 'ground', unverified: true })).toBe(false);
  });
});

describe('villageOf', () => {
  it('names the village, and nothing for a plot outside every village rather than its township', () => {
    expect(villageOf({ zone: 'V01', zone_name: '上寨村', zone_level: 'village' })).toBe('上寨村');
    expect(villageOf({ zone: 'T01', zone_name: '新寨乡', zone_level: 'township' })).toBeNull();
    expect(villageOf({ zone: null, zone_name: null, zone_level: null })).toBeNull();
    expect(villageOf({ zone: 'V01', zone_name: null })).toBe('V01'); // an older server without levels
  });
});

describe('statusKey', () => {
  it('does not call a pending scan target under the review threshold "awaiting inspection"', () => {
    expect(statusKey({ status: 'detected', score_max: 0.17, origin: 'scan' }, 0.35)).toBe('status.belowThreshold');
    expect(statusKey({ status: 'detected', score_max: 0.35, origin: 'scan' }, 0.35)).toBe('status.detected');
    expect(statusKey({ status: 'detected', score_max: 0.1, origin: 'ground' }, 0.35)).toBe('status.detected');
    expect(statusKey({ status: 'planned', score_max: 0.17, origin: 'scan' }, 0.35)).toBe('status.planned');
    expect(statusKey({ status: 'detected', score_max: 0.17, origin: 'scan' }, null)).toBe('status.detected');
  });
});

describe('villageOf in English', () => {
  it('uses the romanised village name when the data has one', () => {
    setLang('en');
    expect(villageOf({ zone: 'V01', zone_name: '上寨村', zone_name_pinyin: 'Shangzhai Cun', zone_level: 'village' })).toBe('Shangzhai Cun');
    expect(villageOf({ zone: 'V02', zone_name: '下寨村', zone_name_pinyin: null, zone_level: 'village' })).toBe('下寨村');
    setLang('zh-CN');
    expect(villageOf({ zone: 'V01', zone_name: '上寨村', zone_name_pinyin: 'Shangzhai Cun', zone_level: 'village' })).toBe('上寨村');
  });
});

describe('verifyCell', () => {
  it('keeps saturated verifier scores apart instead of printing 1.00 on every row', () => {
    setLang('en');
    // Scores the 1.1.0 verifier gives kept plots: all "1.00" at two decimals.
    const cells = [0.9955, 0.9986, 0.99991, 1].map((s) => verifyCell({ score_verify: s, unverified: false }).text);
    expect(cells).toEqual(['0.996', '0.999', '≥0.999', '1.000']);
    expect(verifyCell({ score_verify: 0.9986, unverified: false }).title).toMatch(/Raw verifier score/);
    setLang('zh-CN');
  });
  it('shows the calibrated probability labelled as one where the model calibrates, and nothing a second look did not judge', () => {
    setLang('en');
    const cal = verifyCell({ score_verify: 0.9986, p_poppy: 0.889, unverified: false });
    expect(cal.text).toBe('p 0.89');
    // The demo's isotonic calibration puts most kept plots on one step (p 1.00): the raw score beside it still tells them apart.
    expect(cal.raw).toBe('0.999');
    expect(verifyCell({ score_verify: 0.9999, p_poppy: 1, unverified: false })).toMatchObject({ text: 'p 1.00', raw: '≥0.999' });
    expect(cal.title).toMatch(/Calibrated probability.*raw verifier score 0\.999/);
    setLang('zh-CN');
    expect(verifyCell({ score_verify: 0.9986, p_poppy: 0.889, unverified: false }).text).toBe('概率 0.89');
    expect(verifyCell({ score_verify: null, unverified: true })).toEqual({ text: null, raw: null, title: null });
    expect(verifyCell({ score_verify: null, unverified: false }).text).toBe('—');
  });
});
