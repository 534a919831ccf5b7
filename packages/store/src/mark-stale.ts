import { polygonsIntersect, type Polygonal } from '@tiandi/geo';
import { fromGpkgBlob } from './gpkg-geometry';
import { dbOf, type Workspace } from './workspace';

/**
 * Marks every issued certificate whose zone `touched` intersects as stale ("evidence changed"), inside
 * the caller's write. Returns the certificate ids marked.
 */
export function markStaleCertificates(
  ws: Workspace,
  touched: Polygonal[],
  reason: string,
  audit: (action: string, subject: string, payload?: unknown) => unknown,
): string[] {
  if (touched.length === 0) return [];
  const rows = dbOf(ws).prepare(`SELECT cert_id, zone_id, season_id, geom FROM certifications WHERE status = 'issued'`).all() as {
    cert_id: string;
    zone_id: string;
    season_id: string;
    geom: Buffer;
  }[];
  const marked: string[] = [];
  for (const r of rows) {
    const zone = fromGpkgBlob(r.geom) as Polygonal;
    if (!touched.some((g) => polygonsIntersect(zone, g))) continue;
    dbOf(ws).prepare(`UPDATE certifications SET status = 'stale', status_reason = ?, status_at = ? WHERE cert_id = ?`).run(reason, ws.now(), r.cert_id);
    audit('certificate.stale', r.cert_id, { zone_id: r.zone_id, season_id: r.season_id, reason });
    marked.push(r.cert_id);
  }
  return marked;
}

/**
 * Marks issued certificates stale by zone id or season id (a zone outline or a season's policy changed),
 * inside the caller's write. Returns the certificate ids marked.
 */
export function markStaleCertificatesOf(
  ws: Workspace,
  by: { zoneId?: string; seasonId?: string },
  reason: string,
  audit: (action: string, subject: string, payload?: unknown) => unknown,
): string[] {
  const rows = dbOf(ws)
    .prepare(`SELECT cert_id, zone_id, season_id FROM certifications WHERE status = 'issued' AND (? IS NULL OR zone_id = ?) AND (? IS NULL OR season_id = ?)`)
    .all(by.zoneId ?? null, by.zoneId ?? null, by.seasonId ?? null, by.seasonId ?? null) as { cert_id: string; zone_id: string; season_id: string }[];
  for (const r of rows) {
    dbOf(ws).prepare(`UPDATE certifications SET status = 'stale', status_reason = ?, status_at = ? WHERE cert_id = ?`).run(reason, ws.now(), r.cert_id);
    audit('certificate.stale', r.cert_id, { zone_id: r.zone_id, season_id: r.season_id, reason });
  }
  return rows.map((r) => r.cert_id);
}
