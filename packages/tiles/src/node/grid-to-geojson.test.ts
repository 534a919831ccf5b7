import { describe, expect, it } from 'vitest';
import { packPolygons, unpackPolygons, type GridPolygon } from '../vector/outline-rings';
import { gridToGeoJson } from './grid-to-geojson';

// Two polygons, one with a hole, at fractional cell corners as simplification leaves them.
const polygons: GridPolygon[] = [
  {
    outer: [
      [0, 0],
      [10, 0],
      [10, 10.5],
      [0, 10],
    ],
    holes: [
      [
        [2, 2],
        [2, 4],
        [4.25, 4],
        [4, 2],
      ],
    ],
  },
  {
    outer: [
      [20, 20],
      [23, 20],
      [21.5, 24],
    ],
    holes: [],
  },
];

describe('packPolygons', () => {
  it('gives back exactly the polygons it packed, so an outline mapped later is the one tracing made', () => {
    const back = unpackPolygons(packPolygons(polygons));
    expect(back).toEqual(polygons);
    const toLonLat = (x: number, y: number): [number, number] => [100 + x * 1e-5, 25 - y * 1e-5];
    expect(gridToGeoJson(back, toLonLat)).toEqual(gridToGeoJson(polygons, toLonLat));
    // Packed rings are mapped as they are, without unpacking first.
    expect(gridToGeoJson(packPolygons(polygons), toLonLat)).toEqual(gridToGeoJson(polygons, toLonLat));
  });

  it('holds each ring as 16 bytes a vertex', () => {
    const [first] = packPolygons(polygons);
    expect(first.outer).toBeInstanceOf(Float64Array);
    expect(first.outer.byteLength).toBe(4 * 16);
    expect(first.holes[0].byteLength).toBe(4 * 16);
  });
});
