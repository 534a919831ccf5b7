import type { LonLat } from '@tiandi/geo';
import { gunzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import parsePbf from 'tiny-osmpbf';
import { PlannerError } from '../errors';

/**
 * One road, track or path as OpenStreetMap has it: its vertices, their OSM node ids when known
 * (two ways meet exactly where they share a node id), and its tags.
 */
export interface OsmWay {
  id?: number | string;
  /** OSM node id per vertex; absent for plain GeoJSON lines (then ways meet where they share an exact coordinate). */
  nodes?: (number | string)[];
  coords: LonLat[];
  tags: Record<string, unknown>;
}

/**
 * Ways with a `highway` tag from an OpenStreetMap extract: `.osm.pbf`, `.osm` XML, either gzip-compressed.
 * The format is told from the bytes, not the file name.
 * @throws PlannerError TIANDI_E_ROADS when the bytes are none of these, naming `name`.
 */
export function waysFromOsm(bytes: Uint8Array, name = 'roads'): OsmWay[] {
  let b = bytes;
  if (b[0] === 0x1f && b[1] === 0x8b) b = gunzipSync(b);
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  try {
    if (b[i] === 0x3c) return waysFromOsmXml(new TextDecoder().decode(b));
    return waysFromOsmPbf(b);
  } catch (e) {
    if (e instanceof PlannerError) throw e;
    throw new PlannerError(
      'TIANDI_E_ROADS',
      `${name}: 不是可读的 OSM 文件 not a readable OpenStreetMap extract (.osm.pbf, .osm, .osm.gz): ${(e as Error).message}`,
    );
  }
}

/** Ways with a `highway` tag from `.osm.pbf` bytes (tiny-osmpbf; dense nodes and plain nodes). */
export function waysFromOsmPbf(bytes: Uint8Array): OsmWay[] {
  const data = parsePbf(bytes) as { elements: { type: string; id: number; lat?: number; lon?: number; nodes?: number[]; tags?: Record<string, string> }[] };
  const nodeAt = new Map<number, LonLat>();
  for (const e of data.elements) if (e.type === 'node') nodeAt.set(e.id, [e.lon!, e.lat!]);
  const ways: OsmWay[] = [];
  for (const e of data.elements) if (e.type === 'way' && e.tags?.highway && e.nodes) pushWay(ways, e.id, e.nodes, e.tags, nodeAt);
  return ways;
}

/** Ways with a `highway` tag from OSM XML text (saxes, streaming). */
export function waysFromOsmXml(text: string): OsmWay[] {
  const nodeAt = new Map<string, LonLat>();
  const raw: { id: string; nodes: string[]; tags: Record<string, string> }[] = [];
  let way: { id: string; nodes: string[]; tags: Record<string, string> } | null = null;
  const sax = new SaxesParser();
  sax.on('opentag', (t) => {
    const a = t.attributes as Record<string, string>;
    if (t.name === 'node') nodeAt.set(a.id, [Number(a.lon), Number(a.lat)]);
    else if (t.name === 'way') way = { id: a.id, nodes: [], tags: {} };
    else if (way && t.name === 'nd') way.nodes.push(a.ref);
    else if (way && t.name === 'tag') way.tags[a.k] = a.v;
  });
  sax.on('closetag', (t) => {
    if (t.name === 'way' && way) {
      if (way.tags.highway) raw.push(way);
      way = null;
    }
  });
  sax.write(text).close();
  const ways: OsmWay[] = [];
  for (const w of raw) pushWay(ways, Number(w.id), w.nodes, w.tags, nodeAt);
  return ways;
}

/** Ways from GeoJSON LineStrings/MultiLineStrings; `properties.nodes` (OSM node ids, one per vertex) is used when present. */
export function waysFromGeoJson(fc: {
  type?: string;
  features?: { geometry?: { type?: string; coordinates?: unknown } | null; properties?: Record<string, unknown> | null }[];
}): { ways: OsmWay[]; skipped: number } {
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features))
    throw new PlannerError('TIANDI_E_ROADS', '路网应为 GeoJSON FeatureCollection road network must be a GeoJSON FeatureCollection of LineStrings');
  const ways: OsmWay[] = [];
  let skipped = 0;
  fc.features.forEach((f, i) => {
    const g = f?.geometry;
    const parts = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? (g.coordinates as unknown[]) : null;
    if (!parts) return void skipped++;
    const tags = { ...(f.properties ?? {}) };
    const ids = Array.isArray(tags.nodes) ? (tags.nodes as (number | string)[]) : null;
    delete tags.nodes;
    for (const part of parts) {
      if (!Array.isArray(part) || part.length < 2 || !part.every(isLonLat)) {
        skipped++;
        continue;
      }
      const coords = (part as number[][]).map((p) => [p[0], p[1]] as LonLat);
      ways.push({
        id: (tags.id as string | number | undefined) ?? i,
        coords,
        tags,
        ...(ids && parts.length === 1 && ids.length === coords.length ? { nodes: ids } : {}),
      });
    }
  });
  return { ways, skipped };
}

function pushWay<K>(ways: OsmWay[], id: number, refs: K[], tags: Record<string, string>, nodeAt: Map<K, LonLat>): void {
  const coords: LonLat[] = [];
  const nodes: K[] = [];
  for (const r of refs) {
    const p = nodeAt.get(r);
    if (p) {
      coords.push(p);
      nodes.push(r);
    } // a way cut by the extract's edge keeps its nodes inside
  }
  if (coords.length >= 2) ways.push({ id, nodes: nodes as (number | string)[], coords, tags });
}

function isLonLat(p: unknown): boolean {
  return (
    Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0] as number) <= 180 && Math.abs(p[1] as number) <= 90
  );
}
