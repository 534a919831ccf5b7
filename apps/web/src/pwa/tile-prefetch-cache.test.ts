import { describe, expect, it } from 'vitest';
import { prefetchTiles, TILE_CACHE, tileCacheUsage } from './tile-prefetch';

/** A minimal in-memory CacheStorage (the platform API), enough for the tile cache. */
function memoryCaches(): CacheStorage {
  const stores = new Map<string, Map<string, Response>>();
  const open = async (name: string) => {
    if (!stores.has(name)) stores.set(name, new Map());
    const m = stores.get(name)!;
    return {
      match: async (req: RequestInfo) => m.get(String(typeof req === 'string' ? req : (req as Request).url))?.clone(),
      put: async (req: RequestInfo, res: Response) => void m.set(String(typeof req === 'string' ? req : (req as Request).url), res),
      keys: async () => [...m.keys()].map((u) => new Request(u)),
    } as unknown as Cache;
  };
  return {
    open,
    has: async (n: string) => stores.has(n),
    delete: async (n: string) => stores.delete(n),
    keys: async () => [...stores.keys()],
    match: async () => undefined,
  } as unknown as CacheStorage;
}

describe('prefetchTiles', () => {
  it('downloads each tile once into the tile cache, counts bytes and failures, and skips cached tiles next time', async () => {
    const cs = memoryCaches();
    const fetched: string[] = [];
    const fetchFn = (async (url: string) => {
      fetched.push(url);
      if (url.endsWith('/9.png')) return new Response('nope', { status: 500 });
      return new Response(new Uint8Array(1000), { status: 200, headers: { 'content-type': 'image/png' } });
    }) as unknown as typeof fetch;
    const urls = Array.from({ length: 10 }, (_, i) => `http://h/api/rasters/r/18/1/${i}.png`);
    const progress: number[] = [];
    const p = await prefetchTiles(urls, { cacheStorage: cs, fetchFn, concurrency: 3, onProgress: (x) => progress.push(x.done) });
    expect(p).toEqual({ done: 10, total: 10, failed: 1, bytes: 9000 });
    expect(progress.at(-1)).toBe(10);
    expect(await tileCacheUsage(cs)).toEqual({ tiles: 9, bytes: 9000 });
    const again = await prefetchTiles(urls, { cacheStorage: cs, fetchFn });
    expect(again).toEqual({ done: 10, total: 10, failed: 1, bytes: 9000 });
    expect(fetched).toHaveLength(11); // only the failed tile was fetched again
    expect(await cs.has(TILE_CACHE)).toBe(true);
  });

  it('stops when aborted', async () => {
    const cs = memoryCaches();
    const ctl = new AbortController();
    const fetchFn = (async () => {
      ctl.abort();
      return new Response(new Uint8Array(10));
    }) as unknown as typeof fetch;
    const p = await prefetchTiles(['http://h/a/1/1/1.png', 'http://h/a/1/1/2.png', 'http://h/a/1/1/3.png'], {
      cacheStorage: cs,
      fetchFn,
      concurrency: 1,
      signal: ctl.signal,
    });
    expect(p.done).toBe(1);
  });
});
