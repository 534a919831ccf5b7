import { z } from 'zod';
import { geodesicAreaM2, overlapAreaM2, type Polygonal } from '@tiandi/geo';
import { StoreError } from './errors';
import { asMulti, readZones, type ZoneRecord } from './rows';
import { markStaleCertificatesOf } from './mark-stale';
import { dbOf, type Workspace } from './workspace';

export type ZoneLevel = ZoneRecord['level'];
const PARENT: Record<ZoneLevel, ZoneLevel | null> = { county: null, township: 'county', village: 'township' };
const CHILD: Record<ZoneLevel, ZoneLevel | null> = { county: 'township', township: 'village', village: null };

const ring = z.array(z.tuple([z.number(), z.number()]).rest(z.number())).min(4);
const FeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: z.discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
  ]),
  properties: z.record(z.string(), z.unknown()).nullable(),
});
const CollectionSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

export interface ImportZonesResult {
  added: string[];
  updated: string[];
  unchanged: string[];
  /** Features left out because their properties.level differs from the requested level. */
  skipped: string[];
  /** Zone id → parent id (properties.parent when it names a zone of the level above, else by containment). */
  parents: Record<string, string | null>;
}

const RANK: Record<ZoneLevel, number> = { county: 0, township: 1, village: 2 };
const isLevel = (x: unknown): x is ZoneLevel => x === 'county' || x === 'township' || x === 'village';

/**
 * Imports zones from a GeoJSON FeatureCollection (WGS 84). Each feature needs an id (properties.zone_id,
 * .id or .code, or the feature id), may have properties.name, and its level comes from properties.level or
 * `opts.level` (with `opts.level`, features of other levels are skipped). Parents: properties.parent when
 * it names a zone of the level above, else by containment (more than half of the zone inside it);
 * children already stored are linked to new parents. One transaction; re-importing changes nothing.
 */
export function importZones(ws: Workspace, input: unknown, opts: { level?: ZoneLevel; source?: string }, actor: string): ImportZonesResult {
  const file = opts.source;
  const { zones, skipped } = parseZoneFeatures(input, opts.level, file);
  return ws.write(actor, (audit) => {
    const stored = readZones(ws);
    const res: ImportZonesResult = { added: [], updated: [], unchanged: [], skipped, parents: {} };
    storeZones(ws, zones, stored, res, file, audit);
    linkStoredOrphans(ws, stored, zones, audit);
    return res;
  });
}

/** A parsed zone and the parent its properties name, if any (checked against the stored zones later). */
type ParsedZone = ZoneRecord & { parentHint: string | null };
type Audit = Parameters<Parameters<Workspace['write']>[1]>[0];

/** Validates the collection and every feature; returns the zones of the requested level, coarsest level first. */
function parseZoneFeatures(input: unknown, onlyLevel: ZoneLevel | undefined, file: string | undefined): { zones: ParsedZone[]; skipped: string[] } {
  const coll = CollectionSchema.safeParse(input);
  if (!coll.success)
    throw new StoreError('TIANDI_E_INPUT', '不是 GeoJSON FeatureCollection not a GeoJSON FeatureCollection: export the zones as GeoJSON (EPSG:4326)', file);
  const zones: ParsedZone[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  coll.data.features.forEach((raw, i) => {
    const head = parseFeatureHead(raw, i, onlyLevel, file);
    if (onlyLevel && head.level !== onlyLevel) return void skipped.push(head.id);
    if (seen.has(head.id)) throw new StoreError('TIANDI_E_INPUT', `编号重复 zone id '${head.id}' appears twice (feature ${i + 1})`, file);
    seen.add(head.id);
    zones.push(zoneOfFeature(head, i, file));
  });
  if (zones.length === 0)
    throw new StoreError('TIANDI_E_INPUT', `文件中没有${onlyLevel ? ` ${onlyLevel} 级` : ''}区划 no ${onlyLevel ?? ''} zones in the file`, file);
  zones.sort((a, b) => RANK[a.level] - RANK[b.level]);
  return { zones, skipped };
}

/** A feature that passed the schema, with its id and level (its own, else the requested one). */
interface FeatureHead {
  feature: z.infer<typeof FeatureSchema>;
  props: Record<string, unknown>;
  id: string;
  level: ZoneLevel;
}

/** Checks a feature's shape, id and level: enough to decide whether it is imported. */
function parseFeatureHead(raw: unknown, i: number, onlyLevel: ZoneLevel | undefined, file: string | undefined): FeatureHead {
  const f = FeatureSchema.safeParse(raw);
  if (!f.success)
    throw new StoreError(
      'TIANDI_E_INPUT',
      `第 ${i + 1} 个要素 feature ${i + 1}: ${f.error.issues[0].path.join('.')} ${f.error.issues[0].message} (need a Polygon or MultiPolygon in lon/lat)`,
      file,
    );
  const p = f.data.properties ?? {};
  const id = String(p.zone_id ?? p.id ?? p.code ?? f.data.id ?? '').trim();
  if (!id) throw new StoreError('TIANDI_E_INPUT', `第 ${i + 1} 个要素没有编号 feature ${i + 1} has no id: add properties.zone_id (or id/code)`, file);
  if (p.level !== undefined && !isLevel(p.level))
    throw new StoreError(
      'TIANDI_E_INPUT',
      `第 ${i + 1} 个要素 level 无效 feature ${i + 1} (${id}): level '${String(p.level)}' is not county, township or village`,
      file,
    );
  const level = (p.level as ZoneLevel | undefined) ?? onlyLevel;
  if (!level)
    throw new StoreError(
      'TIANDI_E_INPUT',
      `第 ${i + 1} 个要素没有级别 feature ${i + 1} (${id}) has no level: add properties.level or pass --level county|township|village`,
      file,
    );
  return { feature: f.data, props: p, id, level };
}

/** An imported feature as a zone: checks its coordinates are lon/lat and its area is not zero. */
function zoneOfFeature({ feature, props: p, id, level }: FeatureHead, i: number, file: string | undefined): ParsedZone {
  const geometry = feature.geometry as Polygonal;
  // Each position's first two numbers are lon, lat; a third (elevation) is allowed and not checked.
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  for (const [lon, lat] of rings.flat()) {
    if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90))
      throw new StoreError(
        'TIANDI_E_INPUT',
        `第 ${i + 1} 个要素坐标超出经纬度范围 feature ${i + 1} coordinates are not lon/lat degrees: reproject to EPSG:4326`,
        file,
      );
  }
  const areaM2 = geodesicAreaM2(geometry);
  if (!(areaM2 > 0)) throw new StoreError('TIANDI_E_INPUT', `第 ${i + 1} 个要素面积为零 feature ${i + 1} (${id}) has no area`, file);
  const namePinyin = p.name_pinyin ?? p.name_en;
  return {
    zoneId: id,
    name: p.name != null ? String(p.name) : null,
    namePinyin: namePinyin != null ? String(namePinyin) : null,
    level,
    parentId: null,
    areaM2,
    geometry,
    parentHint: typeof p.parent === 'string' ? p.parent : null,
  };
}

/** The parent of a zone among `among`: the hinted zone when it is of the level above, else the one holding more than half of it. */
function findParent(zn: ZoneRecord, hint: string | null, among: ZoneRecord[]): string | null {
  const pl = PARENT[zn.level];
  if (!pl) return null;
  const candidates = among.filter((z) => z.level === pl);
  if (hint && candidates.some((z) => z.zoneId === hint)) return hint;
  return candidates.find((pz) => overlapAreaM2(pz.geometry, zn.geometry) > 0.5 * zn.areaM2)?.zoneId ?? null;
}

/** Adds or updates each zone (coarsest first, so parents exist), records it in `res`, and marks certificates of changed outlines stale. */
function storeZones(ws: Workspace, zones: ParsedZone[], stored: ZoneRecord[], res: ImportZonesResult, file: string | undefined, audit: Audit): void {
  const byId = new Map(stored.map((z) => [z.zoneId, z]));
  const known = new Map(stored.map((z) => [z.zoneId, z]));
  // UPDATE, else INSERT: an UPSERT's conflict policy would leak into the R-tree triggers.
  const update = dbOf(ws).prepare(
    `UPDATE zones SET geom = ?, name = ?, name_pinyin = ?, level = ?, parent_id = ?, area_m2 = ?, imported_at = ? WHERE zone_id = ?`,
  );
  const insert = dbOf(ws).prepare(
    `INSERT INTO zones (geom, zone_id, name, name_pinyin, level, parent_id, area_m2, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const { parentHint, ...zn } of zones) {
    zn.parentId = findParent(zn, parentHint, [...known.values()]);
    known.set(zn.zoneId, zn);
    res.parents[zn.zoneId] = zn.parentId;
    const old = byId.get(zn.zoneId);
    const sameEvidence =
      !!old &&
      old.level === zn.level &&
      old.name === zn.name &&
      old.parentId === zn.parentId &&
      JSON.stringify(asMulti(old.geometry)) === JSON.stringify(asMulti(zn.geometry));
    if (sameEvidence && (old.namePinyin ?? null) === (zn.namePinyin ?? null)) {
      res.unchanged.push(zn.zoneId);
      continue;
    }
    const g = asMulti(zn.geometry);
    if (old) update.run(ws.blob(g), zn.name, zn.namePinyin ?? null, zn.level, zn.parentId, zn.areaM2, ws.now(), zn.zoneId);
    else insert.run(ws.blob(g), zn.zoneId, zn.name, zn.namePinyin ?? null, zn.level, zn.parentId, zn.areaM2, ws.now());
    ws.extendLayer('zones', g);
    (old ? res.updated : res.added).push(zn.zoneId);
    audit(old ? 'zone.update' : 'zone.add', zn.zoneId, {
      level: zn.level,
      name: zn.name,
      parent_id: zn.parentId,
      area_m2: Math.round(zn.areaM2),
      source: file ?? null,
    });
    // A romanised name alone changes no evidence: certificates stay as they are.
    if (old && !sameEvidence) markStaleCertificatesOf(ws, { zoneId: zn.zoneId }, '区划边界已更改 zone outline changed', audit);
  }
}

/** Links zones stored before without a parent to a parent among the imported ones, by containment. */
function linkStoredOrphans(ws: Workspace, stored: ZoneRecord[], zones: ParsedZone[], audit: Audit): void {
  const seen = new Set(zones.map((z) => z.zoneId));
  const setParent = dbOf(ws).prepare('UPDATE zones SET parent_id = ? WHERE zone_id = ?');
  const imported = zones.map(({ parentHint: _h, ...z }) => z);
  for (const c of stored.filter((z) => z.parentId === null && CHILD[z.level] !== undefined && PARENT[z.level] !== null && !seen.has(z.zoneId))) {
    const pid = findParent(c, null, imported);
    if (pid) {
      setParent.run(pid, c.zoneId);
      audit('zone.update', c.zoneId, { parent_id: pid });
    }
  }
}
