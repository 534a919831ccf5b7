import type { LonLat, MultiLineString } from '@tiandi/geo';
import { StoreError } from './errors';
import { fromGpkgBlob } from './gpkg-geometry';
import { dbOf, type Workspace } from './workspace';

/** A road, track or path as route planning reads it (OSM tags; node ids when it came from an OSM extract). */
export interface RoadWay {
  id: string;
  coords: LonLat[];
  tags: Record<string, string>;
  nodes?: (string | number)[];
}

/** Where the teams start and end each day. */
export interface Depot {
  id: string;
  name: string | null;
  /** The romanised name (pinyin or English) for an English UI; null or absent when the data has none. */
  namePinyin?: string | null;
  lonLat: LonLat;
}

/**
 * Replaces the workspace's road network with `ways` (roads layer: one row per way, its tags and node
 * ids kept so ways meet exactly where they did in the source). One transaction, audited.
 */
export function setRoads(ws: Workspace, ways: RoadWay[], source: string, actor: string): { ways: number } {
  if (!ways.length) throw new StoreError('TIANDI_E_INPUT', '路网中没有道路 no roads, tracks or paths to store', source);
  return ws.write(actor, (audit) => {
    dbOf(ws).prepare('DELETE FROM roads').run();
    const ins = dbOf(ws).prepare('INSERT INTO roads (geom, way_id, highway, name, tags_json, nodes_json, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const seen = new Set<string>();
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    const at = ws.now();
    ways.forEach((w, i) => {
      let id = String(w.id);
      if (seen.has(id)) id = `${id}#${i}`; // a MultiLineString's parts, or a clipped way split in two
      seen.add(id);
      const g: MultiLineString = { type: 'MultiLineString', coordinates: [w.coords] };
      ins.run(
        ws.blob(g),
        id,
        String(w.tags.highway ?? 'road'),
        w.tags.name ?? null,
        JSON.stringify(w.tags),
        w.nodes ? JSON.stringify(w.nodes) : null,
        source,
        at,
      );
      for (const [x, y] of w.coords) {
        if (x < box[0]) box[0] = x;
        if (y < box[1]) box[1] = y;
        if (x > box[2]) box[2] = x;
        if (y > box[3]) box[3] = y;
      }
    });
    // The layer's extent once for the whole network, not one update per way (a county has 10⁵ ways).
    ws.extendLayer('roads', {
      type: 'LineString',
      coordinates: [
        [box[0], box[1]],
        [box[2], box[3]],
      ],
    });
    audit('roads.set', source, { ways: ways.length });
    return { ways: ways.length };
  });
}

/** The workspace's road network, in the order stored. */
export function readRoads(ws: Workspace): RoadWay[] {
  const rows = dbOf(ws).prepare('SELECT geom, way_id, tags_json, nodes_json FROM roads ORDER BY fid').all() as {
    geom: Buffer;
    way_id: string;
    tags_json: string;
    nodes_json: string | null;
  }[];
  return rows.map((r) => {
    const g = fromGpkgBlob(r.geom) as MultiLineString;
    return { id: r.way_id, coords: g.coordinates[0] as LonLat[], tags: JSON.parse(r.tags_json), ...(r.nodes_json ? { nodes: JSON.parse(r.nodes_json) } : {}) };
  });
}

/** Sets the depot (one per workspace for now: replaces any other). Audited. */
export function setDepot(ws: Workspace, depot: Depot, actor: string): void {
  ws.write(actor, (audit) => {
    dbOf(ws).prepare('DELETE FROM depots').run();
    const g = { type: 'Point' as const, coordinates: depot.lonLat };
    dbOf(ws)
      .prepare('INSERT INTO depots (geom, depot_id, name, name_pinyin, set_at) VALUES (?, ?, ?, ?, ?)')
      .run(ws.blob(g), depot.id, depot.name, depot.namePinyin ?? null, ws.now());
    ws.extendLayer('depots', g);
    audit('depot.set', depot.id, { lonLat: depot.lonLat, name: depot.name, ...(depot.namePinyin ? { namePinyin: depot.namePinyin } : {}) });
  });
}

/** The workspace's depot, or null when none is set. */
export function readDepot(ws: Workspace): Depot | null {
  const r = dbOf(ws).prepare('SELECT geom, depot_id, name, name_pinyin FROM depots ORDER BY fid LIMIT 1').get() as
    | { geom: Buffer; depot_id: string; name: string | null; name_pinyin: string | null }
    | undefined;
  if (!r) return null;
  const g = fromGpkgBlob(r.geom) as { coordinates: LonLat };
  return { id: r.depot_id, name: r.name, ...(r.name_pinyin ? { namePinyin: r.name_pinyin } : {}), lonLat: [g.coordinates[0], g.coordinates[1]] };
}

/**
 * Which road network the workspace holds: the sequence number of the audit entry that last set it
 * (0 when never set). Changes exactly when {@link setRoads} runs, in any process, so a reader can
 * keep a serialised copy until then.
 */
export function roadsVersion(ws: Workspace): number {
  const r = dbOf(ws).prepare(`SELECT max(seq) AS seq FROM audit_log WHERE action = 'roads.set'`).get() as { seq: number | null };
  return r.seq ?? 0;
}

/** The audit chain's head (changes with every audited write), a cheap check before {@link roadsVersion}. */
export function auditHead(ws: Workspace): string | null {
  const r = dbOf(ws).prepare(`SELECT value FROM tiandi_meta WHERE key = 'audit_head'`).get() as { value: string } | undefined;
  return r?.value ?? null;
}
