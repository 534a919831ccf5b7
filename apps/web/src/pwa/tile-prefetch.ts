/** Choosing and caching orthophoto tiles around each stop before the team leaves. */

/** One XYZ tile (Web Mercator). */
export interface TileXYZ {
  z: number;
  x: number;
  y: number;
}

/** A raster the server renders as XYZ tiles. */
export interface TiledRaster {
  id: string;
  /** [west, south, east, north] in degrees. */
  bounds: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
  /** URL template with {z}/{x}/{y}. */
  tiles: string;
}

/** The cache name the service worker serves tiles from. */
export const TILE_CACHE = 'tiandi-tiles';
/** Planning figure for one 256-px orthophoto PNG tile; the real size is measured while downloading. */
export const ESTIMATED_TILE_BYTES = 40_000;

const RAD = Math.PI / 180;

/** The tile containing [lon, lat] at zoom z. */
export function tileOf(lon: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const s = Math.sin(Math.max(-85.05112878, Math.min(85.05112878, lat)) * RAD);
  const y = Math.floor((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n);
  return { x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

/**
 * The tiles of `raster` within `radiusM` of each point, from its minzoom up to `maxZoom` (capped by
 * the raster's maxzoom). When that exceeds `maxTiles`, the finest zoom levels are dropped until it
 * fits, so the download stays within the size shown to the user.
 */
export function tilesAround(
  points: [number, number][],
  raster: Pick<TiledRaster, 'bounds' | 'minzoom' | 'maxzoom'>,
  opts: { radiusM: number; maxZoom?: number; minZoom?: number; maxTiles?: number },
): { tiles: TileXYZ[]; maxZoomUsed: number } {
  const [w, s, e, n] = raster.bounds;
  const zMin = Math.max(raster.minzoom, opts.minZoom ?? raster.minzoom);
  let zMax = Math.min(raster.maxzoom, opts.maxZoom ?? raster.maxzoom);
  const maxTiles = opts.maxTiles ?? 2000;
  for (; zMax >= zMin; zMax--) {
    const keys = new Set<string>();
    for (let z = zMin; z <= zMax; z++) {
      for (const [lon, lat] of points) {
        const dLat = opts.radiusM / 111_320;
        const dLon = dLat / Math.max(Math.cos(lat * RAD), 1e-6);
        const west = Math.max(w, lon - dLon),
          east = Math.min(e, lon + dLon);
        const south = Math.max(s, lat - dLat),
          north = Math.min(n, lat + dLat);
        if (west > east || south > north) continue;
        const a = tileOf(west, north, z),
          b = tileOf(east, south, z);
        for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) keys.add(`${z}/${x}/${y}`);
      }
      if (keys.size > maxTiles) break;
    }
    if (keys.size <= maxTiles) {
      const tiles = [...keys].map((k) => {
        const [z, x, y] = k.split('/').map(Number);
        return { z, x, y };
      });
      tiles.sort((p, q) => p.z - q.z || p.x - q.x || p.y - q.y);
      return { tiles, maxZoomUsed: zMax };
    }
  }
  return { tiles: [], maxZoomUsed: zMin - 1 };
}

/** The URL of one tile from a {z}/{x}/{y} template, resolved against `base`. */
export function tileUrl(template: string, t: TileXYZ, base: string): string {
  return new URL(template.replace('{z}', String(t.z)).replace('{x}', String(t.x)).replace('{y}', String(t.y)), base).href;
}

/** Progress of a tile download. */
export interface PrefetchProgress {
  done: number;
  total: number;
  failed: number;
  bytes: number;
}

/**
 * Downloads tiles into the tile cache (skipping ones already there), a few at a time. Reports
 * progress after each tile; stops early when `signal` aborts. Returns the final progress.
 */
export async function prefetchTiles(
  urls: string[],
  opts: { signal?: AbortSignal; onProgress?: (p: PrefetchProgress) => void; concurrency?: number; cacheStorage?: CacheStorage; fetchFn?: typeof fetch } = {},
): Promise<PrefetchProgress> {
  const cache = await (opts.cacheStorage ?? caches).open(TILE_CACHE);
  const fetchFn = opts.fetchFn ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const p: PrefetchProgress = { done: 0, total: urls.length, failed: 0, bytes: 0 };
  let next = 0;
  const worker = async () => {
    while (next < urls.length && !opts.signal?.aborted) {
      const url = urls[next++];
      try {
        const hit = await cache.match(url);
        if (hit) {
          p.bytes += Number(hit.headers.get('content-length') ?? 0) || (await hit.clone().arrayBuffer()).byteLength;
        } else {
          const res = await fetchFn(url, { credentials: 'same-origin', signal: opts.signal });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const body = await res.arrayBuffer();
          p.bytes += body.byteLength;
          await cache.put(
            url,
            new Response(body, {
              status: res.status,
              headers: { 'content-type': res.headers.get('content-type') ?? 'image/png', 'content-length': String(body.byteLength) },
            }),
          );
        }
      } catch {
        p.failed++;
      }
      p.done++;
      opts.onProgress?.({ ...p });
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 4, urls.length) }, worker));
  return p;
}

/** How many tiles and bytes the tile cache holds now. */
export async function tileCacheUsage(cacheStorage: CacheStorage = caches): Promise<{ tiles: number; bytes: number }> {
  if (!(await cacheStorage.has(TILE_CACHE))) return { tiles: 0, bytes: 0 };
  const cache = await cacheStorage.open(TILE_CACHE);
  const keys = await cache.keys();
  let bytes = 0;
  for (const k of keys) bytes += Number((await cache.match(k))?.headers.get('content-length') ?? 0);
  return { tiles: keys.length, bytes };
}
