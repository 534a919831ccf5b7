import { computeCoverage, coverageRulesOf, seasonToFile, type CoverageResult, type Footprint, type Polygonal, type Season } from '@tiandi/geo';
import { fromGpkgBlob } from './gpkg-geometry';
import { readSeason, readZone, type ZoneRecord } from './rows';
import { dbOf, type Workspace } from './workspace';

/**
 * Footprints of every stored image (what coverage is computed from), each piece of imagery once: an image whose
 * file sha256 or pixel digest matches an earlier-recorded one (a workspace that took a copy in before copies
 * were recognised) is left out, so no certificate counts one image twice.
 */
export function readFootprints(ws: Workspace): (Footprint & { sha256: string | null })[] {
  const rows = dbOf(ws).prepare('SELECT geom, image_id, gsd_m, acquired, sha256, pixel_sha256 FROM images WHERE geom IS NOT NULL ORDER BY fid').all() as {
    geom: Buffer;
    image_id: string;
    gsd_m: number;
    acquired: string | null;
    sha256: string | null;
    pixel_sha256: string | null;
  }[];
  const seen = new Set<string>();
  const unique = rows.filter((r) => {
    const keys = [r.sha256 && 'f:' + r.sha256, r.pixel_sha256 && 'p:' + r.pixel_sha256].filter((k): k is string => !!k);
    if (keys.some((k) => seen.has(k))) return false;
    for (const k of keys) seen.add(k);
    return true;
  });
  return unique
    .sort((a, b) => (a.image_id < b.image_id ? -1 : a.image_id > b.image_id ? 1 : 0))
    .map((r) => ({ imageId: r.image_id, geometry: fromGpkgBlob(r.geom) as Polygonal, gsdM: r.gsd_m, acquired: r.acquired ?? '', sha256: r.sha256 }));
}

/** Recent coverage results per open workspace, keyed by everything they depend on. */
const cache = new WeakMap<Workspace, Map<string, CoverageResult>>();
const CACHE_SIZE = 64;

/**
 * Coverage of a stored zone in a stored season (read-only). Results are remembered per open workspace
 * until the zone, the season or the images change (images are only ever added), so a server asking for
 * every zone's coverage on each request does not recompute unions.
 */
export function zoneCoverage(ws: Workspace, zoneId: string, seasonId?: string): { zone: ZoneRecord; season: Season; coverage: CoverageResult } {
  const zone = readZone(ws, zoneId);
  const season = readSeason(ws, seasonId);
  const images = dbOf(ws).prepare('SELECT count(*) AS n, max(fid) AS m FROM images').get() as { n: number; m: number | null };
  const zoneStamp = (dbOf(ws).prepare('SELECT imported_at FROM zones WHERE zone_id = ?').get(zoneId) as { imported_at: string }).imported_at;
  const key = JSON.stringify([zoneId, zoneStamp, zone.areaM2, seasonToFile(season), images.n, images.m]);
  let byKey = cache.get(ws);
  if (!byKey) cache.set(ws, (byKey = new Map()));
  let coverage = byKey.get(key);
  if (!coverage) {
    coverage = computeCoverage(zone.geometry, readFootprints(ws), coverageRulesOf(season));
    if (byKey.size >= CACHE_SIZE) byKey.delete(byKey.keys().next().value!);
    byKey.set(key, coverage);
  }
  return { zone, season, coverage };
}
