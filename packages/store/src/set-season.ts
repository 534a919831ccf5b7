import { GeoError, canonicalJson, parseSeason, seasonToFile, type Season } from '@tiandi/geo';
import { StoreError } from './errors';
import { markStaleCertificatesOf } from './mark-stale';
import { dbOf, type Workspace } from './workspace';

/**
 * Validates a season file (JSON value) and stores it, replacing a season with the same id. One transaction,
 * audited; setting the same season again changes nothing.
 */
export function setSeason(ws: Workspace, input: unknown, actor: string, source?: string): { season: Season; changed: boolean } {
  let season: Season;
  try {
    season = parseSeason(input);
  } catch (e) {
    if (e instanceof GeoError) throw new StoreError('TIANDI_E_INPUT', `${e.message}`, source, e.field);
    throw e;
  }
  const json = canonicalJson(seasonToFile(season));
  return ws.write(actor, (audit) => {
    const old = dbOf(ws).prepare('SELECT season_json FROM seasons WHERE season_id = ?').get(season.id) as { season_json: string } | undefined;
    if (old?.season_json === json) return { season, changed: false };
    dbOf(ws)
      .prepare(`INSERT INTO seasons (season_id, name, flowering_start, flowering_end, season_json, set_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(season_id) DO UPDATE SET name=excluded.name, flowering_start=excluded.flowering_start, flowering_end=excluded.flowering_end, season_json=excluded.season_json, set_at=excluded.set_at`)
      .run(season.id, season.name, season.floweringStart, season.floweringEnd, json, ws.now());
    audit(old ? 'season.update' : 'season.add', season.id, JSON.parse(json));
    if (old) markStaleCertificatesOf(ws, { seasonId: season.id }, '调查季规则已更改 season window or policy changed', audit);
    return { season, changed: true };
  });
}
