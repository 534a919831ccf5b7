import { describe, expect, it } from 'vitest';
import { rect } from '../routes/field-world.test-util';
import { zoneLookup } from './zone-lookup';

describe('zoneLookup', () => {
  it('names the village a point lies in, else the township with its level, so a list can tell "outside every village"', () => {
    const lookup = zoneLookup([
      { zoneId: 'T01', name: '新寨乡', level: 'township', geometry: rect(100, 25, 100.02, 25.01) },
      { zoneId: 'V01', name: '上寨村', namePinyin: 'Shangzhai Cun', level: 'village', geometry: rect(100, 25, 100.01, 25.01) },
    ]);
    expect(lookup([100.005, 25.005])).toEqual({ zoneId: 'V01', name: '上寨村', namePinyin: 'Shangzhai Cun', level: 'village' });
    expect(lookup([100.015, 25.005])).toEqual({ zoneId: 'T01', name: '新寨乡', namePinyin: null, level: 'township' });
    expect(lookup([101, 25.005])).toBeNull();
  });
});
