import { waysFromGeoJson } from '@tiandi/planner';
import { auditHead, readRoads, roadsVersion, type Depot, type RoadWay, type Workspace } from '@tiandi/store';
import { stringTags } from './string-tags';

/** Road GeoJSON (already checked by validateRoads) → the ways the workspace stores; tags as strings, node ids kept. */
export function roadWaysFromGeoJson(fc: unknown): RoadWay[] {
  return waysFromGeoJson(fc as Parameters<typeof waysFromGeoJson>[0]).ways.map((w, i) => ({
    id: String(w.id ?? i),
    coords: w.coords,
    tags: stringTags(w.tags),
    ...(w.nodes ? { nodes: w.nodes } : {}),
  }));
}

/** Stored ways → the GeoJSON the web planner reads (tags as properties, node ids as `properties.nodes`, so ways meet where they did). */
export function roadsGeoJson(ways: RoadWay[]): { type: 'FeatureCollection'; features: unknown[] } {
  return {
    type: 'FeatureCollection',
    features: ways.map((w) => ({
      type: 'Feature',
      properties: w.nodes ? { ...w.tags, nodes: w.nodes } : w.tags,
      geometry: { type: 'LineString', coordinates: w.coords },
    })),
  };
}

/** The first Point of a depot GeoJSON (Feature, FeatureCollection or bare Point), or null. */
export function depotFromGeoJson(d: unknown): Depot | null {
  const o = d as {
    type?: string;
    features?: unknown[];
    geometry?: unknown;
    properties?: { name?: unknown; name_pinyin?: unknown; name_en?: unknown } | null;
    coordinates?: unknown;
  };
  const f =
    o?.type === 'FeatureCollection'
      ? (o.features as (typeof o)[] | undefined)?.find((x) => (x?.geometry as { type?: string })?.type === 'Point')
      : o?.type === 'Feature'
        ? o
        : null;
  const g = (f ? f.geometry : o) as { type?: string; coordinates?: unknown } | null;
  const c = g?.type === 'Point' ? g.coordinates : null;
  if (!Array.isArray(c) || !(Math.abs(c[0]) <= 180 && Math.abs(c[1]) <= 90)) return null;
  const name = f?.properties?.name;
  // The romanised name for an English UI, as zones take it: name_pinyin, else name_en.
  const roman = [f?.properties?.name_pinyin, f?.properties?.name_en].find((x) => typeof x === 'string' && x.trim() !== '') as string | undefined;
  return { id: 'depot', name: typeof name === 'string' ? name : null, ...(roman ? { namePinyin: roman } : {}), lonLat: [c[0], c[1]] };
}

/**
 * The workspace's road network as GeoJSON bytes, serialised once per network: a large network is
 * not re-read and re-encoded per request. The audit head (one row) says whether anything was written;
 * only then is the roads version looked up, and only a new version is read again.
 */
export class RoadsBytes {
  private head: string | null | undefined;
  private version = -1;
  private bytes: Buffer | null = null;

  read(ws: Workspace): Buffer | null {
    const head = auditHead(ws);
    if (this.version >= 0 && head === this.head) return this.bytes;
    const version = roadsVersion(ws);
    if (version !== this.version) {
      const ways = readRoads(ws);
      this.bytes = ways.length ? Buffer.from(JSON.stringify(roadsGeoJson(ways))) : null;
      this.version = version;
    }
    this.head = head;
    return this.bytes;
  }
}
