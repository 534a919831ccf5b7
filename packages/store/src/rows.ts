import { polygonsOf, type Polygonal, type Season, type Target, type TargetStatus, parseSeason } from '@tiandi/geo';
import { StoreError } from './errors';
import { fromGpkgBlob } from './gpkg-geometry';
import { dbOf, type Workspace } from './workspace';

/** A zone as stored. */
export interface ZoneRecord {
  zoneId: string;
  name: string | null;
  /** The romanised name (properties.name_pinyin), for an English UI; null when the data has none. */
  namePinyin?: string | null;
  level: 'county' | 'township' | 'village';
  parentId: string | null;
  areaM2: number;
  geometry: Polygonal;
}

/** Always a MultiPolygon: what the MULTIPOLYGON layers hold. */
export function asMulti(g: Polygonal): Polygonal {
  return { type: 'MultiPolygon', coordinates: polygonsOf(g) };
}

interface TargetRow {
  geom: Buffer;
  target_id: string;
  status: string;
  origin: string;
  missed_by_scan: number;
  score_max: number;
  score_verify: number | null;
  p_poppy?: number | null;
  unverified: number;
  area_m2: number;
  eradicated_at: string | null;
  sources_json: string;
  report_ids_json: string;
  review_json: string | null;
  desk_json: string | null;
  ground_audit: number;
}

function toTarget(r: TargetRow): Target {
  return {
    id: r.target_id,
    status: r.status as TargetStatus,
    origin: r.origin as Target['origin'],
    missedByScan: r.missed_by_scan === 1,
    geometry: fromGpkgBlob(r.geom) as Polygonal,
    scoreMax: r.score_max,
    scoreVerify: r.score_verify,
    ...(typeof r.p_poppy === 'number' ? { pPoppy: r.p_poppy } : {}),
    unverified: r.unverified === 1,
    areaM2: r.area_m2,
    sources: JSON.parse(r.sources_json),
    review: r.review_json ? JSON.parse(r.review_json) : null,
    eradicatedAt: r.eradicated_at,
    reportIds: JSON.parse(r.report_ids_json),
    desk: r.desk_json ? JSON.parse(r.desk_json) : null,
    groundAudit: r.ground_audit === 1,
  };
}

/** Every target, sorted by id. */
export function readTargets(ws: Workspace): Target[] {
  return (dbOf(ws).prepare('SELECT * FROM targets ORDER BY target_id').all() as TargetRow[]).map(toTarget);
}

/** One target, or a TIANDI_E_NOT_FOUND error. */
export function readTarget(ws: Workspace, id: string): Target {
  const r = dbOf(ws).prepare('SELECT * FROM targets WHERE target_id = ?').get(id) as TargetRow | undefined;
  if (!r) throw new StoreError('TIANDI_E_NOT_FOUND', `没有目标 no target '${id}': list them with 'tiandi targets list'`, undefined, 'target');
  return toTarget(r);
}

/** Inserts or replaces a target (inside a write). */
export function writeTarget(ws: Workspace, t: Target): void {
  const g = asMulti(t.geometry);
  // UPDATE, else INSERT: an UPSERT's conflict policy would leak into the R-tree triggers.
  const row = {
    geom: ws.blob(g),
    id: t.id,
    status: t.status,
    origin: t.origin,
    missed: t.missedByScan ? 1 : 0,
    score: t.scoreMax,
    verify: t.scoreVerify ?? null,
    ppoppy: t.pPoppy ?? null,
    unverified: t.origin === 'scan' && t.unverified === true ? 1 : 0,
    area: t.areaM2,
    reason: t.review?.reason ?? null,
    erad: t.eradicatedAt,
    sources: JSON.stringify(t.sources),
    reports: JSON.stringify(t.reportIds),
    review: t.review ? JSON.stringify(t.review) : null,
    at: ws.now(),
    desk: t.desk ? JSON.stringify(t.desk) : null,
    audit: t.groundAudit ? 1 : 0,
  };
  const updated = dbOf(ws)
    .prepare(`UPDATE targets SET geom=@geom, status=@status, origin=@origin, missed_by_scan=@missed, score_max=@score, score_verify=@verify, p_poppy=@ppoppy, unverified=@unverified, area_m2=@area,
      review_reason=@reason, eradicated_at=@erad, sources_json=@sources, report_ids_json=@reports, review_json=@review, updated_at=@at, desk_json=@desk, ground_audit=@audit WHERE target_id=@id`)
    .run(row);
  if (updated.changes === 0) {
    dbOf(ws)
      .prepare(`INSERT INTO targets (geom, target_id, status, origin, missed_by_scan, score_max, score_verify, p_poppy, unverified, area_m2, review_reason, eradicated_at, sources_json, report_ids_json, review_json, updated_at, desk_json, ground_audit)
      VALUES (@geom, @id, @status, @origin, @missed, @score, @verify, @ppoppy, @unverified, @area, @reason, @erad, @sources, @reports, @review, @at, @desk, @audit)`)
      .run(row);
  }
  ws.extendLayer('targets', g);
}

interface ZoneRow {
  geom: Buffer;
  zone_id: string;
  name: string | null;
  name_pinyin?: string | null;
  level: ZoneRecord['level'];
  parent_id: string | null;
  area_m2: number;
}
const toZone = (r: ZoneRow): ZoneRecord => ({
  zoneId: r.zone_id,
  name: r.name,
  namePinyin: r.name_pinyin ?? null,
  level: r.level,
  parentId: r.parent_id,
  areaM2: r.area_m2,
  geometry: fromGpkgBlob(r.geom) as Polygonal,
});

/** Every zone, sorted by id. */
export function readZones(ws: Workspace): ZoneRecord[] {
  return (dbOf(ws).prepare('SELECT * FROM zones ORDER BY zone_id').all() as ZoneRow[]).map(toZone);
}

/** One zone, or a TIANDI_E_NOT_FOUND error listing a few known ids. */
export function readZone(ws: Workspace, id: string): ZoneRecord {
  const r = dbOf(ws).prepare('SELECT * FROM zones WHERE zone_id = ?').get(id) as ZoneRow | undefined;
  if (!r) {
    const known = (dbOf(ws).prepare('SELECT zone_id FROM zones ORDER BY zone_id LIMIT 8').all() as { zone_id: string }[]).map((x) => x.zone_id);
    throw new StoreError(
      'TIANDI_E_NOT_FOUND',
      `没有区划 no zone '${id}' (known: ${known.join(', ') || 'none — import with tiandi zones import'})`,
      undefined,
      'zone',
    );
  }
  return toZone(r);
}

/** One season, or a TIANDI_E_NOT_FOUND error. Without an id: the only season, or the latest set. */
export function readSeason(ws: Workspace, id?: string): Season {
  const r = (
    id
      ? dbOf(ws).prepare('SELECT season_json FROM seasons WHERE season_id = ?').get(id)
      : dbOf(ws).prepare('SELECT season_json FROM seasons ORDER BY set_at DESC, fid DESC LIMIT 1').get()
  ) as { season_json: string } | undefined;
  if (!r)
    throw new StoreError(
      'TIANDI_E_NOT_FOUND',
      id
        ? `没有调查季 no season '${id}': set it with 'tiandi season set <file.json>'`
        : `尚未设置调查季 no season yet: set one with 'tiandi season set <file.json>'`,
      undefined,
      'season',
    );
  return parseSeason(JSON.parse(r.season_json));
}
