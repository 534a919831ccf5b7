import { computeCoverage, coverageRulesOf, type CoverageResult, type Footprint, type Polygonal, type Season } from '@tiandi/geo';
import { fromGpkgBlob } from './gpkg-geometry';
import { readSeason, readZone, type ZoneRecord } from './rows';
import type { Workspace } from './workspace';

/** Footprints of every stored image (what coverage is computed from). */
export function readFootprints(ws: Workspace): (Footprint & { sha256: string | null })[] {
  return (ws.db.prepare('SELECT geom, image_id, gsd_m, acquired, sha256 FROM images WHERE geom IS NOT NULL ORDER BY image_id').all() as { geom: Buffer; image_id: string; gsd_m: number; acquired: string | null; sha256: string | null }[])
    .map((r) => ({ imageId: r.image_id, geometry: fromGpkgBlob(r.geom) as Polygonal, gsdM: r.gsd_m, acquired: r.acquired ?? '', sha256: r.sha256 }));
}

/** Coverage of a stored zone in a stored season (read-only). */
export function zoneCoverage(ws: Workspace, zoneId: string, seasonId?: string): { zone: ZoneRecord; season: Season; coverage: CoverageResult } {
  const zone = readZone(ws, zoneId);
  const season = readSeason(ws, seasonId);
  return { zone, season, coverage: computeCoverage(zone.geometry, readFootprints(ws), coverageRulesOf(season)) };
}
