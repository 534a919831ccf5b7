import type { Map as MapLibreMap } from 'maplibre-gl';
import { boundsOf, positionsOf } from './geometry';
import type { FC } from './survey-data';
import type { RasterInfo } from './survey-layers';

/**
 * The closest zoom a fit may reach: a 100-m drone block at 5–10 cm/px (tiles served to z21–22) should fill
 * the view, not sit as a small square at the street-map limit of z18.
 */
const FIT_MAX_ZOOM = 21;

/** Fits the map to the survey: the imagery footprints, else targets, else zones, else rasters. Returns whether it moved. */
export function fitToSurvey(map: MapLibreMap, data: { targets?: FC; footprints?: FC; zones?: FC; rasters?: RasterInfo[] }, animate = false): boolean {
  for (const fc of [data.footprints, data.targets, data.zones]) {
    const b = fc && boundsOf(fc.features.flatMap((f) => positionsOf(f.geometry)));
    if (b) {
      map.fitBounds(
        [
          [b[0], b[1]],
          [b[2], b[3]],
        ],
        { padding: 40, maxZoom: FIT_MAX_ZOOM, animate },
      );
      return true;
    }
  }
  const r = data.rasters?.find((x) => x.bounds);
  if (r?.bounds) {
    map.fitBounds(
      [
        [r.bounds[0], r.bounds[1]],
        [r.bounds[2], r.bounds[3]],
      ],
      { padding: 40, maxZoom: FIT_MAX_ZOOM, animate },
    );
    return true;
  }
  return false;
}
