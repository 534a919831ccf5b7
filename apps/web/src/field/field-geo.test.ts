import { describe, expect, it } from 'vitest';
import { bearingDeg, circlePolygon, compassPoint, distanceM, formatDistance, nextOpenStop } from './field-geo';

describe('field navigation helpers', () => {
  it('measures distance and bearing between two stops', () => {
    // 0.01° of latitude ≈ 1111.95 m on the mean sphere
    expect(distanceM([102.8, 28.0], [102.8, 28.01])).toBeCloseTo(1111.95, 1);
    expect(bearingDeg([102.8, 28.0], [102.8, 28.01])).toBeCloseTo(0, 6);
    expect(bearingDeg([102.8, 28.0], [102.81, 28.0])).toBeCloseTo(90, 1);
    expect(bearingDeg([102.8, 28.0], [102.79, 27.99])).toBeCloseTo(221.4, 0);
  });

  it('names compass points in both languages', () => {
    expect(compassPoint(0, 'zh-CN')).toBe('北');
    expect(compassPoint(100, 'en')).toBe('E');
    expect(compassPoint(225, 'zh-CN')).toBe('西南');
    expect(compassPoint(359, 'en')).toBe('N');
  });

  it('formats distances', () => {
    expect([12.4, 999.6, 1234, 15_400].map(formatDistance)).toEqual(['12 m', '1000 m', '1.2 km', '15 km']);
  });

  it('draws an accuracy ring whose points are at the radius', () => {
    const ring = circlePolygon([102.8, 28.0], 25);
    expect(ring).toHaveLength(49);
    for (const p of ring) expect(distanceM([102.8, 28.0], p)).toBeCloseTo(25, 0);
  });

  it('finds the next stop without a report', () => {
    const stops = [{ targetId: 'a' }, { targetId: 'b' }, { targetId: 'c' }];
    expect(nextOpenStop(stops, new Set(['a']))).toEqual({ targetId: 'b' });
    expect(nextOpenStop(stops, new Set(['a', 'b', 'c']))).toBeNull();
  });
});
