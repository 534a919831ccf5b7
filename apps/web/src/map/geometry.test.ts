import { describe, expect, it } from 'vitest';
import { boundsOf, labelPoint, positionsOf } from './geometry';

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ],
  ],
};

describe('map geometry helpers', () => {
  it('finds positions, bounds and label points', () => {
    expect(positionsOf(square)).toHaveLength(5);
    expect(boundsOf(positionsOf(square))).toEqual([0, 0, 2, 2]);
    expect(boundsOf([])).toBeNull();
    expect(labelPoint(square)).toEqual([1, 1]);
    expect(labelPoint({ type: 'MultiPolygon', coordinates: [square.coordinates] })).toEqual([1, 1]);
  });
});
