import type { LonLat } from '@tiandi/geo';
import { metresPerDegree } from './build-network';

/** Options of {@link gridRoads}. */
export interface GridRoadsOptions {
  /** South-west corner [lon, lat]. Default [102.26, 27.86]. */
  origin?: LonLat;
  /** Columns and rows of junctions. */
  nx: number;
  ny: number;
  spacingM: number;
  /** Every k-th east–west street is one-way eastbound (0 = none). */
  onewayEvery?: number;
  highway?: string;
}

/**
 * A synthetic road grid as GeoJSON (one LineString per street, with a vertex at every junction that
 * the crossing streets share, as OpenStreetMap has it), for tests and benchmarks before real roads exist.
 */
export function gridRoads(o: GridRoadsOptions): {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: Record<string, unknown>; geometry: { type: 'LineString'; coordinates: LonLat[] } }[];
} {
  const origin = o.origin ?? [102.26, 27.86];
  const { kx, ky } = metresPerDegree(origin[1]);
  const at = (x: number, y: number): LonLat => [origin[0] + x / kx, origin[1] + y / ky];
  const features = [];
  for (let i = 0; i < o.nx; i++) {
    const x = i * o.spacingM;
    features.push({
      type: 'Feature' as const,
      properties: { id: `ns-${i}`, highway: o.highway ?? 'unclassified' },
      geometry: { type: 'LineString' as const, coordinates: Array.from({ length: o.ny }, (_, j) => at(x, j * o.spacingM)) },
    });
  }
  for (let j = 0; j < o.ny; j++) {
    const y = j * o.spacingM;
    const oneway = o.onewayEvery && j % o.onewayEvery === 1 ? { oneway: 'yes' } : {};
    features.push({
      type: 'Feature' as const,
      properties: { id: `ew-${j}`, highway: o.highway ?? 'unclassified', ...oneway },
      geometry: { type: 'LineString' as const, coordinates: Array.from({ length: o.nx }, (_, i) => at(i * o.spacingM, y)) },
    });
  }
  return { type: 'FeatureCollection', features };
}
