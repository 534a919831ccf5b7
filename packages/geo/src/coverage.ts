import type { Polygonal } from './geojson';
import { geodesicAreaM2 } from './geodesic-area';
import { intersect, subtract, unionAll } from './polygon-ops';
import { polygonsIntersect } from './polygons-intersect';

/** One image's valid-data footprint with what decides whether it counts as evidence. */
export interface Footprint {
  imageId: string;
  geometry: Polygonal;
  gsdM: number;
  /** Acquisition time or date, ISO 8601 (the UTC calendar date is compared with the window). */
  acquired: string;
}

export type FootprintRejection = 'outside_flowering_window' | 'too_coarse' | 'no_acquisition_date' | 'outside_zone';

/** What part of a zone valid imagery covers, and where the gaps are. */
export interface CoverageResult {
  zoneAreaM2: number;
  coveredAreaM2: number;
  /** coveredAreaM2 / zoneAreaM2, 0..1. */
  share: number;
  /** Parts of the zone not covered (null when fully covered). */
  gaps: Polygonal | null;
  gapAreaM2: number;
  /** Images whose footprints counted, sorted. */
  usedImageIds: string[];
  /** Images that did not count and why. */
  rejected: { imageId: string; reason: FootprintRejection }[];
}

export interface CoverageRules {
  floweringStart: string;
  floweringEnd: string;
  maxGsdM: number;
}

/**
 * Coverage of `zone` by footprints acquired inside the flowering window (inclusive, by UTC date) at or
 * below the maximum GSD: the union of those footprints intersected with the zone, as an area, a share and
 * gap polygons. Areas are geodesic (WGS 84).
 */
export function computeCoverage(zone: Polygonal, footprints: Footprint[], rules: CoverageRules): CoverageResult {
  const zoneAreaM2 = geodesicAreaM2(zone);
  const rejected: CoverageResult['rejected'] = [];
  const valid: Footprint[] = [];
  for (const f of footprints) {
    const day = /^\d{4}-\d{2}-\d{2}/.test(f.acquired) ? f.acquired.slice(0, 10) : '';
    if (!day) rejected.push({ imageId: f.imageId, reason: 'no_acquisition_date' });
    else if (day < rules.floweringStart || day > rules.floweringEnd) rejected.push({ imageId: f.imageId, reason: 'outside_flowering_window' });
    else if (!(f.gsdM <= rules.maxGsdM)) rejected.push({ imageId: f.imageId, reason: 'too_coarse' });
    else valid.push(f);
  }
  // Only footprints that reach the zone take part in the union (the rest cannot change the result).
  const used = valid.filter((f) => polygonsIntersect(zone, f.geometry));
  for (const f of valid) if (!used.includes(f)) rejected.push({ imageId: f.imageId, reason: 'outside_zone' });
  const union = unionAll(used.map((f) => f.geometry));
  const covered = union ? intersect(zone, union) : null;
  const coveredAreaM2 = covered ? geodesicAreaM2(covered) : 0;
  const gaps = union ? subtract(zone, union) : zone;
  const gapAreaM2 = gaps ? geodesicAreaM2(gaps) : 0;
  return {
    zoneAreaM2,
    coveredAreaM2,
    share: zoneAreaM2 > 0 ? Math.min(1, coveredAreaM2 / zoneAreaM2) : 0,
    gaps,
    gapAreaM2,
    usedImageIds: used.map((f) => f.imageId).sort(),
    rejected: rejected.sort((a, b) => a.imageId.localeCompare(b.imageId)),
  };
}
