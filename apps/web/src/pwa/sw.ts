/*
 * The Tiandi service worker (bundled to the classic script /sw.js by sw-plugin.ts; it may import
 * browser-only modules of this folder, nothing that touches the DOM).
 * - App shell: every file of the build is cached at install, so the app opens with no connection.
 * - Navigations: network first, the cached index.html when offline.
 * - Field data (GET /api/field/*): network first, the last answer when offline.
 * - Orthophoto tiles (GET /api/rasters/…/z/x/y.png): from the tile cache the field view filled
 *   before leaving (bounded, chosen by the user), else the network. Tiles are never cached behind
 *   the user's back, so the cache stays the size shown before download.
 * - Background Sync ('sync', tag 'tiandi-outbox', registered by the page when a report is queued):
 *   sends the IndexedDB outbox when the phone is online again, even with the app closed, then tells
 *   open pages; a failed send rejects, so the browser retries later.
 */
import { OUTBOX_FLUSHED_MESSAGE, OUTBOX_SYNC_TAG, syncOutbox } from './background-sync';
import { httpTransport, type FlushSummary } from './flush-outbox';
import { Outbox } from './outbox';
import { markOfflineCopy } from './offline-copy';

declare const __TIANDI_PRECACHE__: string[];
declare const __TIANDI_BUILD__: string;

interface SwEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface SwFetchEvent extends SwEvent {
  request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface SwSyncEvent extends SwEvent {
  tag: string;
  lastChance?: boolean;
}
interface SwScope {
  addEventListener(type: 'install' | 'activate', fn: (e: SwEvent) => void): void;
  addEventListener(type: 'fetch', fn: (e: SwFetchEvent) => void): void;
  addEventListener(type: 'message', fn: (e: MessageEvent) => void): void;
  addEventListener(type: 'sync', fn: (e: SwSyncEvent) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void>; matchAll(o: { type: 'window'; includeUncontrolled?: boolean }): Promise<{ postMessage(m: unknown): void }[]> };
  registration: { scope: string };
}

const sw = self as unknown as SwScope;
const SHELL = `tiandi-shell-${__TIANDI_BUILD__}`;
/** Cache names shared with the page (tile-prefetch.ts, field-data-cache). */
const TILES = 'tiandi-tiles';
const DATA = 'tiandi-data';

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((c) => c.addAll(__TIANDI_PRECACHE__.map((u) => new URL(u, sw.registration.scope).href)))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tiandi-shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith(networkFirst(req, SHELL, new URL('./index.html', sw.registration.scope).href));
    return;
  }
  if (/^\/api\/rasters\/[^/]+\/\d+\/\d+\/\d+\.png$/.test(url.pathname)) {
    event.respondWith(cacheFirst(req, TILES));
    return;
  }
  if (url.pathname.startsWith('/api/field/') && !url.pathname.startsWith('/api/field/photos/')) {
    event.respondWith(networkFirst(req, DATA));
    return;
  }
  if (url.pathname.startsWith('/api/')) return;
  event.respondWith(cacheFirst(req, SHELL));
});

async function cacheFirst(req: Request, cacheName: string): Promise<Response> {
  const hit = await caches.match(req, { cacheName, ignoreSearch: cacheName === SHELL });
  if (hit) return hit;
  return fetch(req);
}

async function networkFirst(req: Request, cacheName: string, fallbackUrl?: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(req);
    if (res.ok && !fallbackUrl) await cache.put(req, res.clone());
    return res;
  } catch (err) {
    const hit = (await cache.match(req, { ignoreVary: true })) ?? (fallbackUrl ? await cache.match(fallbackUrl) : undefined);
    // Data (not the app shell) from the saved copy is marked, so the page can say it is offline.
    if (hit) return fallbackUrl ? hit : markOfflineCopy(hit);
    if (req.headers.get('accept')?.includes('json') || new URL(req.url).pathname.startsWith('/api/')) {
      return new Response(JSON.stringify({ code: 'TIANDI_E_OFFLINE', message: '离线，且此数据未缓存 Offline, and this data was not cached' }), {
        status: 503,
        headers: { 'content-type': 'application/json' },
      });
    }
    throw err;
  }
}

sw.addEventListener('sync', (event) => {
  if (event.tag !== OUTBOX_SYNC_TAG) return;
  event.waitUntil(
    syncOutbox(
      () => Outbox.open(),
      httpTransport(new URL(sw.registration.scope).origin),
      async (summary: FlushSummary) => {
        for (const c of await sw.clients.matchAll({ type: 'window', includeUncontrolled: true })) c.postMessage({ type: OUTBOX_FLUSHED_MESSAGE, summary });
      },
    ),
  );
});

sw.addEventListener('message', (event) => {
  if (event.data === 'tiandi:version') (event.source as MessagePort | null)?.postMessage({ build: __TIANDI_BUILD__ });
});
