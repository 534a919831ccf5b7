import type { Polygon } from './geojson';

/**
 * The lon/lat box [west, south] – [east, north] as a closed, counter-clockwise Polygon.
 * @example boxPolygon(100, 25, 100.001, 25.001)
 */
export function boxPolygon(west: number, south: number, east: number, north: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}
