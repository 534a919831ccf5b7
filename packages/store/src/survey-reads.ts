import type { Geometry, GroundReport } from '@tiandi/geo';
import { fromGpkgBlob } from './gpkg-geometry';
import { dbOf, type Workspace } from './workspace';

/** A stored scan (an image × a model version), as listed to operators. */
export interface ScanRecord {
  scanId: string;
  imageId: string;
  model: string | null;
  modelVersion: string | null;
  candidates: number;
  summary: unknown;
  importedAt: string;
}

/** Every scan, in the order imported. */
export function listScans(ws: Workspace): ScanRecord[] {
  const rows = dbOf(ws)
    .prepare('SELECT scan_id, image_id, model, model_version, candidate_count, summary_json, imported_at FROM scans ORDER BY imported_at, scan_id')
    .all() as {
    scan_id: string;
    image_id: string;
    model: string | null;
    model_version: string | null;
    candidate_count: number;
    summary_json: string | null;
    imported_at: string;
  }[];
  return rows.map((r) => ({
    scanId: r.scan_id,
    imageId: r.image_id,
    model: r.model,
    modelVersion: r.model_version,
    candidates: r.candidate_count,
    summary: r.summary_json ? JSON.parse(r.summary_json) : null,
    importedAt: r.imported_at,
  }));
}

/** An image's raster facts beside its footprint (see readFootprints). */
export interface ImageRecord {
  imageId: string;
  crs: string | null;
  width: number | null;
  height: number | null;
  operator: string | null;
  importedAt: string;
}

/** Every image's CRS, size and who brought it, by image id. */
export function imageRecords(ws: Workspace): Map<string, ImageRecord> {
  const rows = dbOf(ws).prepare('SELECT image_id, crs, width, height, operator, imported_at FROM images').all() as {
    image_id: string;
    crs: string | null;
    width: number | null;
    height: number | null;
    operator: string | null;
    imported_at: string;
  }[];
  return new Map(
    rows.map((r) => [r.image_id, { imageId: r.image_id, crs: r.crs, width: r.width, height: r.height, operator: r.operator, importedAt: r.imported_at }]),
  );
}

/** The images whose candidates merged into this target, by id. */
export function imagesOfTarget(ws: Workspace, targetId: string): string[] {
  return (dbOf(ws).prepare('SELECT DISTINCT image_id FROM candidates WHERE target_id = ? ORDER BY image_id').all(targetId) as { image_id: string }[]).map(
    (r) => r.image_id,
  );
}

/** True when the workspace has a target of this id. */
export function hasTarget(ws: Workspace, targetId: string): boolean {
  return !!dbOf(ws).prepare('SELECT 1 FROM targets WHERE target_id = ?').get(targetId);
}

/**
 * A lookup of the model whose candidate scored highest in a target, for route sheets and the phone;
 * null when the target has no candidate (a ground finding).
 */
export function targetModelLookup(ws: Workspace): (targetId: string) => { model: string | null; modelVersion: string | null } | null {
  const st = dbOf(ws).prepare('SELECT model, model_version FROM candidates WHERE target_id = ? ORDER BY score_max DESC LIMIT 1');
  return (targetId) => {
    const m = st.get(targetId) as { model: string | null; model_version: string | null } | undefined;
    return m ? { model: m.model, modelVersion: m.model_version } : null;
  };
}

/**
 * A stored ground report, as the reports layer holds it: the report a team sent (its point as a geometry) and how
 * the import matched it to a target.
 */
export interface ReportRecord extends Omit<GroundReport, 'position'> {
  match: string;
  geometry: Geometry;
}

interface ReportRow {
  geom: Buffer;
  report_id: string;
  target_id: string | null;
  match: string;
  verdict: GroundReport['verdict'];
  what: string | null;
  accuracy_m: number;
  observed_at: string;
  team: string | null;
  plant_count: number | null;
  area_m2: number | null;
  photos_json: string;
  notes: string | null;
}

/** Ground reports by observation time (all, one target's, or one team's in the order received). */
export function listReports(ws: Workspace, filter: { targetId?: string; team?: string } = {}): ReportRecord[] {
  const cols = 'geom, report_id, target_id, match, verdict, what, accuracy_m, observed_at, team, plant_count, area_m2, photos_json, notes';
  const db = dbOf(ws);
  const rows = (
    filter.targetId !== undefined
      ? db.prepare(`SELECT ${cols} FROM reports WHERE target_id = ? ORDER BY observed_at, report_id`).all(filter.targetId)
      : filter.team !== undefined
        ? db.prepare(`SELECT ${cols} FROM reports WHERE team = ? ORDER BY fid`).all(filter.team)
        : db.prepare(`SELECT ${cols} FROM reports ORDER BY observed_at, report_id`).all()
  ) as ReportRow[];
  return rows.map((r) => ({
    reportId: r.report_id,
    targetId: r.target_id,
    match: r.match,
    verdict: r.verdict,
    what: r.what,
    accuracyM: r.accuracy_m,
    observedAt: r.observed_at,
    team: r.team,
    plantCount: r.plant_count,
    areaM2: r.area_m2,
    photos: JSON.parse(r.photos_json) as string[],
    notes: r.notes,
    geometry: fromGpkgBlob(r.geom),
  }));
}

/** The ids of the reports on a target. */
export function reportIdsOfTarget(ws: Workspace, targetId: string): string[] {
  return (dbOf(ws).prepare('SELECT report_id FROM reports WHERE target_id = ?').all(targetId) as { report_id: string }[]).map((r) => r.report_id);
}

/** True when a photo with this sha256 is already stored (a report may name it without sending it again). */
export function hasStoredPhoto(ws: Workspace, sha256: string): boolean {
  return !!dbOf(ws).prepare('SELECT 1 FROM photos WHERE sha256 = ?').get(sha256);
}
