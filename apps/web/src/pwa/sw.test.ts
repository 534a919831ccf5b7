import vm from 'node:vm';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { OUTBOX_FLUSHED_MESSAGE, OUTBOX_SYNC_TAG } from './background-sync';
import { Outbox, type ReportFeature } from './outbox';
import { buildServiceWorker } from './sw-plugin';
import { OFFLINE_COPY_HEADER } from './offline-copy';

const report = (id: string): ReportFeature => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [102.81, 28.01] },
  properties: {
    report_id: id,
    target_id: null,
    verdict: 'nothing_found',
    what: null,
    accuracy_m: 6,
    observed_at: '2026-04-20T09:30:00+08:00',
    team: 'T1',
    plant_count: null,
    area_m2: null,
    photos: [],
    notes: null,
  },
});

/** Runs the built /sw.js in a worker-like global with its own IndexedDB and a fake network. */
function loadWorker(factory: IDBFactory, network: { online: boolean; posts: string[] }) {
  const listeners = new Map<string, (e: unknown) => void>();
  const messages: unknown[] = [];
  const scope = {
    addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, fn),
    skipWaiting: async () => undefined,
    clients: { claim: async () => undefined, matchAll: async () => [{ postMessage: (m: unknown) => messages.push(m) }] },
    registration: { scope: 'https://tiandi.test/' },
  };
  const fetch = async (url: string, init: { method: string; body: string }) => {
    if (!network.online) throw new TypeError('Failed to fetch');
    expect(url).toBe('https://tiandi.test/api/field/reports');
    const id = JSON.parse(init.body).properties.report_id as string;
    const outcome = network.posts.includes(id) ? 'duplicate' : 'created';
    network.posts.push(id);
    return new Response(JSON.stringify({ outcome }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const context = vm.createContext({
    self: scope,
    location: new URL('https://tiandi.test/sw.js'),
    indexedDB: factory,
    IDBKeyRange,
    fetch,
    URL,
    Response,
    Request,
    TextEncoder,
    TextDecoder,
    console,
    setTimeout,
    clearTimeout,
    caches: {},
  });
  vm.runInContext(buildServiceWorker(['./', './index.html'], 'test-build'), context);
  /** Fires a 'sync' event as the browser would; resolves or rejects with what the worker passed to waitUntil. */
  const sync = (tag: string) => {
    let done: Promise<unknown> = Promise.resolve('not handled');
    listeners.get('sync')!({ tag, waitUntil: (p: Promise<unknown>) => (done = p) });
    return done;
  };
  return { listeners, messages, sync };
}

describe('the built service worker: Background Sync of the field outbox', () => {
  it('is a classic script that answers the outbox sync by sending the queued reports (the app closed), then tells open pages', async () => {
    const js = buildServiceWorker(['./'], 'b');
    expect(js).not.toMatch(/^\s*(import|export)\s/m);

    const factory = new IDBFactory();
    const page = await Outbox.open({ factory });
    await page.add(report('r1'));
    await page.add(report('r2'));
    page.close(); // the app is closed

    const network = { online: false, posts: [] as string[] };
    const w = loadWorker(factory, network);
    expect([...w.listeners.keys()].sort()).toEqual(['activate', 'fetch', 'install', 'message', 'sync']);
    expect(await w.sync('some-other-tag')).toBe('not handled');

    // Offline: the sync fails so the browser retries later; nothing is lost.
    await expect(w.sync(OUTBOX_SYNC_TAG)).rejects.toThrow(/retry/);
    network.online = true;
    await w.sync(OUTBOX_SYNC_TAG);
    expect(network.posts).toEqual(['r1', 'r2']);
    expect(w.messages).toEqual([{ type: OUTBOX_FLUSHED_MESSAGE, summary: { sent: ['r1', 'r2'], duplicates: [], rejected: [], stopped: null } }]);

    const reopened = await Outbox.open({ factory });
    expect((await reopened.counts()).pending).toBe(0);
    reopened.close();
    await w.sync(OUTBOX_SYNC_TAG);
    expect(network.posts).toEqual(['r1', 'r2']); // each report sent once
  });
});

describe('the built service worker: field data offline', () => {
  it('answers from its saved copy when the network fails, marked so the page knows it is offline', async () => {
    const listeners = new Map<string, (e: unknown) => void>();
    const saved = new Map<string, Response>();
    const cache = {
      match: async (req: Request | string) => saved.get(typeof req === 'string' ? req : req.url)?.clone(),
      put: async (req: Request, res: Response) => void saved.set(req.url, res),
    };
    const network = { online: true };
    const fetch = async (req: Request) => {
      if (!network.online) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify({ team: 'T1', url: req.url }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const scope = {
      addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, fn),
      skipWaiting: async () => undefined,
      clients: { claim: async () => undefined, matchAll: async () => [] },
      registration: { scope: 'https://tiandi.test/' },
    };
    const context = vm.createContext({
      self: scope,
      location: new URL('https://tiandi.test/sw.js'),
      indexedDB: new IDBFactory(),
      IDBKeyRange,
      fetch,
      URL,
      Response,
      Request,
      Headers,
      TextEncoder,
      TextDecoder,
      console,
      setTimeout,
      clearTimeout,
      caches: { open: async () => cache, match: cache.match },
    });
    vm.runInContext(buildServiceWorker(['./'], 'test-build'), context);
    const get = async (path: string) => {
      let answer: Promise<Response> | undefined;
      listeners.get('fetch')!({ request: new Request(`https://tiandi.test${path}`), respondWith: (p: Promise<Response>) => (answer = p) });
      return answer!;
    };

    const fresh = await get('/api/field/assignment');
    expect(fresh.headers.get(OFFLINE_COPY_HEADER)).toBeNull();
    expect(await fresh.json()).toEqual({ team: 'T1', url: 'https://tiandi.test/api/field/assignment' });
    network.online = false;
    const copy = await get('/api/field/assignment');
    expect(copy.status).toBe(200);
    expect(copy.headers.get(OFFLINE_COPY_HEADER)).toBe('1');
    expect(copy.headers.get('content-type')).toBe('application/json');
    expect(await copy.json()).toEqual({ team: 'T1', url: 'https://tiandi.test/api/field/assignment' });
    // Never saved: a 503 the page understands, not a network error.
    const none = await get('/api/field/assignment.gpx');
    expect(none.status).toBe(503);
    expect((await none.json()).code).toBe('TIANDI_E_OFFLINE');
  });
});
