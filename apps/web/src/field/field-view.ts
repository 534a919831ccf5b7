import './field-messages';
import './field.css';
import { getLang, t } from '../i18n/index';
import type { View } from '../router';
import { onWorkerFlushed, requestOutboxSync } from '../pwa/background-sync';
import { flushOutbox, httpTransport } from '../pwa/flush-outbox';
import { Outbox, type OutboxCounts } from '../pwa/outbox';
import { offlineReady, registerServiceWorker } from '../pwa/register-service-worker';
import { ESTIMATED_TILE_BYTES, prefetchTiles, tileCacheUsage, tilesAround, tileUrl } from '../pwa/tile-prefetch';
import { h } from '../ui/h';
import { onAccountChange, refreshAccount, type Account } from '../auth/session';
import type { FieldAssignment, RasterInfo } from '@tiandi/api';
import { api, ApiError, isServerAnswer } from '../api/api';
import { bearingDeg, compassPoint, distanceM, formatDistance, nextOpenStop } from './field-geo';
import type { FieldMap } from './field-map';
import { loginPanel } from './login-panel';
import { reportSheet } from './report-sheet';
import { errorText } from '../api/error-text';

const TILE_RADIUS_M = 150;
const TILE_MAX_ZOOM = 19;
const TILE_MAX_COUNT = 1500;
const FLUSH_EVERY_MS = 15_000;

type Fix = { lon: number; lat: number; accuracyM: number };

/** #/field — a field team's route, map, position and reports, working offline (issue 7). */
const fieldView: View = (root) => {
  const el = h('div', { class: 'field', 'data-testid': 'field-view' });
  root.append(el);
  const cleanups: (() => void)[] = [];
  let disposed = false;
  void start(el, cleanups, () => disposed).catch((err) => {
    el.append(h('p', { class: 'banner bad' }, errorText(err)));
  });
  return () => {
    disposed = true;
    cleanups.splice(0).forEach((f) => f());
  };
};
export default fieldView;

async function start(el: HTMLElement, cleanups: (() => void)[], isDisposed: () => boolean): Promise<void> {
  void registerServiceWorker().catch((err) => console.warn('service worker not registered', err));
  // Ask the browser not to evict the outbox and caches under storage pressure (reports must survive).
  void navigator.storage?.persist?.().catch(() => false);
  const outbox = await Outbox.open();
  cleanups.push(() => outbox.close());

  // Status bar: connection and what waits to be sent, always visible.
  const net = h('span', { class: 'net', 'data-testid': 'net-state' });
  const pending = h('span', { class: 'pending', 'data-testid': 'pending-count', 'aria-live': 'polite' });
  const sendBtn = h('button', { type: 'button', 'data-testid': 'send-now', onclick: () => void flush() }, t('field.sendNow'));
  const statusbar = h('div', { class: 'statusbar' }, net, pending, sendBtn);
  const banner = h('div', { class: 'banner', hidden: true, 'data-testid': 'field-banner' });
  const body = h('div', { class: 'field-body', style: { display: 'contents' } });
  el.append(statusbar, banner, body);

  let counts: OutboxCounts = await outbox.counts();
  let sending = false;
  const drawStatus = () => {
    const online = navigator.onLine;
    net.className = `net${online ? '' : ' off'}`;
    net.textContent = online ? t('field.online') : t('field.offline');
    const parts = counts.pending > 0 ? [t('field.pending', { n: counts.pending })] : [t('field.allSent')];
    if (counts.photosPending > 0) parts.push(t('field.pendingPhotos', { n: counts.photosPending }));
    if (counts.rejected > 0) parts.push(t('field.rejected', { n: counts.rejected }));
    pending.textContent = parts.join(' · ');
    pending.dataset.pending = String(counts.pending);
    pending.className = `pending${counts.pending > 0 ? ' has' : ''}`;
    sendBtn.textContent = sending ? t('field.sending') : t('field.sendNow');
    sendBtn.disabled = sending || counts.pending === 0 || !online;
  };
  const showBanner = (text: string | null, bad = false) => {
    banner.hidden = !text;
    banner.className = `banner${bad ? ' bad' : ''}`;
    banner.textContent = text ?? '';
  };
  cleanups.push(outbox.onChange((c) => {
    counts = c;
    drawStatus();
    onQueueChange?.();
  }));
  drawStatus();

  let onQueueChange: (() => void) | null = null;
  let needLogin: (() => void) | null = null;

  async function flush(): Promise<void> {
    if (sending || !navigator.onLine) return;
    sending = true;
    drawStatus();
    try {
      const s = await flushOutbox(outbox, httpTransport());
      if (s.stopped === 'auth') {
        showBanner(t('field.auth.expired'), true);
        needLogin?.();
      }
      if (s.sent.length + s.duplicates.length > 0) showBanner(t('field.sentN', { n: s.sent.length + s.duplicates.length }));
      // Not all sent: let the service worker send the rest when the connection returns, even if the app is closed.
      if (s.stopped === 'offline' || s.stopped === 'server') void requestOutboxSync();
    } finally {
      sending = false;
      counts = await outbox.counts();
      drawStatus();
      onQueueChange?.();
    }
  }
  const onOnline = () => {
    drawStatus();
    void flush();
  };
  const onOffline = () => drawStatus();
  // The service worker sent queued reports in the background: show the new counts.
  cleanups.push(onWorkerFlushed((s) => {
    void outbox.counts().then((c) => {
      counts = c;
      drawStatus();
      onQueueChange?.();
    });
    if (s.sent.length + s.duplicates.length > 0) showBanner(t('field.sentN', { n: s.sent.length + s.duplicates.length }));
  }));
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const timer = setInterval(() => {
    if (counts.pending > 0) void flush();
  }, FLUSH_EVERY_MS);
  cleanups.push(() => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    clearInterval(timer);
  });

  // Who is signed in: the server when reachable, else the account remembered on this phone.
  let account: Account | null = null;
  let reachable = true;
  try {
    account = await refreshAccount();
    if (account) await outbox.setValue('account', account);
  } catch (err) {
    if (isServerAnswer(err)) throw err;
    reachable = false;
    account = (await outbox.getValue<Account>('account')) ?? null;
  }
  if (isDisposed()) return;
  const showLogin = (note?: string) => {
    body.replaceChildren(loginPanel(async (acc) => {
      await outbox.setValue('account', acc);
      showBanner(null);
      void flush();
      void renderMain(acc);
    }, note));
  };
  needLogin = () => {
    if (!body.querySelector('.login-panel')) body.prepend(loginPanel(async (acc) => {
      await outbox.setValue('account', acc);
      body.querySelector('.login-panel')?.remove();
      showBanner(null);
      void flush();
    }, t('field.auth.expired')));
  };
  // An explicit sign-out (online) forgets the saved account and route on this phone; queued reports stay until sent.
  cleanups.push(onAccountChange((a) => {
    if (a === null && navigator.onLine) {
      void outbox.setValue('account', undefined);
      void caches?.delete('tiandi-data');
    }
  }));
  if (!account) {
    if (!reachable) showBanner(t('field.noCache'), true);
    showLogin(reachable ? undefined : t('field.auth.offlineNeeded'));
    return;
  }
  await renderMain(account);
  if (reachable) void flush();

  async function renderMain(acc: Account): Promise<void> {
    if (acc.role !== 'field') {
      body.replaceChildren(h('p', { class: 'card' }, t('field.notField')));
      return;
    }
    const team = acc.team ?? null;
    // Assignment and raster list: fresh from the server, saved for offline; else the saved copy.
    let assignment: FieldAssignment | null = null;
    let rasters: RasterInfo[] = [];
    let savedAt: string | null = null;
    try {
      if (!navigator.onLine) throw new ApiError(0, 'TIANDI_E_OFFLINE', 'offline');
      assignment = await api<FieldAssignment>('/api/field/assignment', { fresh: true, ownSignIn: true });
      savedAt = new Date().toISOString();
      await outbox.setValue(`assignment:${team}`, { assignment, savedAt });
      try {
        rasters = (await api<{ rasters: RasterInfo[] }>('/api/rasters', { ownSignIn: true })).rasters;
        await outbox.setValue('rasters', rasters);
      } catch {
        rasters = (await outbox.getValue<RasterInfo[]>('rasters')) ?? [];
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        showLogin(t('field.auth.expired'));
        return;
      }
      const saved = await outbox.getValue<{ assignment: FieldAssignment; savedAt: string }>(`assignment:${team}`);
      if (!saved) {
        showBanner(t('field.noCache'), true);
        body.replaceChildren();
        return;
      }
      assignment = saved.assignment;
      savedAt = saved.savedAt;
      rasters = (await outbox.getValue<RasterInfo[]>('rasters')) ?? [];
      showBanner(t('field.fromCache', { time: new Date(savedAt).toLocaleString(getLang()) }));
    }
    if (isDisposed()) return;
    drawMain(acc, assignment!, rasters, savedAt!);
  }

  function drawMain(acc: Account, a: FieldAssignment, rasters: RasterInfo[], savedAt: string): void {
    const mapEl = h('div', { class: 'map', 'data-testid': 'field-map' });
    const nextCard = h('section', { class: 'card next', 'data-testid': 'next-stop' });
    const stopsList = h('ol', { class: 'stops', 'data-testid': 'stop-list' });
    const fixLine = h('p', { class: 'muted', 'data-testid': 'fix' }, t('field.noFix'));
    const prepare = h('section', { class: 'card', 'data-testid': 'prepare' });
    const queueCard = h('section', { class: 'card', 'data-testid': 'queue', hidden: true });
    const side = h(
      'div',
      { class: 'side' },
      h('section', { class: 'card' },
        h('h2', null, t('field.team', { team: a.team })),
        h('p', { class: 'muted', 'data-testid': 'route-state' }, a.plan && a.stops.length ? t('field.savedAt', { time: new Date(savedAt).toLocaleString(getLang()) }) : t('field.noPlan')),
        fixLine,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'big', 'data-testid': 'report-off-route', onclick: () => openSheet(null) }, t('field.reportOffRoute')),
          h('a', { class: 'big', href: './api/field/assignment.gpx', download: `tiandi-${a.team}.gpx`, 'data-testid': 'gpx' }, t('field.gpx')),
        ),
      ),
      nextCard,
      queueCard,
      h('section', { class: 'card' }, h('h2', null, t('field.stops', { n: a.stops.length })), stopsList),
      prepare,
    );
    body.replaceChildren(h('div', { class: 'fmap' }, mapEl), side);

    let fix: Fix | null = null;
    let onFix: () => void = () => undefined;
    let selected: number | null = null;
    let fmap: FieldMap | null = null;
    let queuedTargets = new Set<string>();
    const sentTargets = new Set<string>(a.reports.map((r) => r.targetId).filter((x): x is string => !!x));

    const stateOf = (targetId: string | null): 'open' | 'queued' | 'done' =>
      targetId && sentTargets.has(targetId) ? 'done' : targetId && queuedTargets.has(targetId) ? 'queued' : 'open';

    const refreshQueue = async () => {
      const items = await outbox.list();
      queueCard.hidden = items.length === 0;
      queueCard.replaceChildren(
        h('h2', null, t('field.queue.title')),
        ...items.map((it) => {
          const p = it.report.properties;
          return h('div', { class: 'queue-item', 'data-state': it.state },
            h('b', null, `${p.target_id ?? t('field.form.titleOffRoute')} · ${t(`field.verdict.${p.verdict}`)}`),
            h('span', { class: 'muted' }, ` · ${p.observed_at.slice(11, 16)}${it.photos.length ? ` · ${t('field.pendingPhotos', { n: it.photos.length })}` : ''}`),
            it.lastError ? h('div', { class: it.state === 'rejected' ? 'error' : 'muted' }, t('field.queue.error', { msg: it.lastError })) : null,
            it.state === 'rejected'
              ? h('button', { type: 'button', class: 'big', onclick: () => void outbox.discard(it.id) }, t('field.queue.discard'))
              : null,
          );
        }),
      );
      queuedTargets = new Set(items.map((i) => i.report.properties.target_id).filter((x): x is string => !!x));
      for (const s of await outbox.sent()) if (s.targetId) sentTargets.add(s.targetId);
      draw();
    };
    onQueueChange = () => void refreshQueue();

    const draw = () => {
      const reported = new Set([...sentTargets, ...queuedTargets]);
      const next = nextOpenStop(a.stops, reported);
      if (selected === null || !a.stops.some((s) => s.seq === selected)) selected = next?.seq ?? a.stops[0]?.seq ?? null;
      const stop = a.stops.find((s) => s.seq === selected) ?? null;
      // Next / selected stop
      if (!stop) {
        nextCard.replaceChildren(h('h2', null, a.stops.length ? t('field.allDone') : t('field.noPlan')));
      } else {
        const figures = h('div', { class: 'figures' });
        if (fix) {
          const d = distanceM([fix.lon, fix.lat], [stop.lon, stop.lat]);
          const b = bearingDeg([fix.lon, fix.lat], [stop.lon, stop.lat]);
          figures.append(
            h('span', { 'data-testid': 'distance' }, t('field.distance', { d: formatDistance(d) })),
            h('span', { 'data-testid': 'bearing' }, h('span', { class: 'arrow', style: { transform: `rotate(${b}deg)` } }, '↑'), ' ', t('field.bearing', { deg: Math.round(b), dir: compassPoint(b, getLang()) })),
          );
        } else figures.append(h('span', null, t('field.noFix')));
        nextCard.replaceChildren(
          h('h2', null, `${next && next.seq === stop.seq ? t('field.next') + ' · ' : ''}${t('field.stop', { seq: stop.seq })} · ${stop.info?.village ? `${stop.info.village} ` : ''}${stop.targetId ?? ''}`),
          figures,
          h('p', { class: 'muted' }, stop.arriveS !== null ? t('field.arrive', { time: hhmm(stop.arriveS) }) : ''),
          // What to look for there (area, score, model), as on the printed route sheet.
          stop.info ? h('p', { 'data-testid': 'look-for' }, stop.info.lookFor) : '',
          h('div', { class: 'actions' },
            h('a', { class: 'big', href: stop.amapUriGcj02, target: '_blank', rel: 'noopener', 'data-testid': 'navigate' }, t('field.navigate')),
            h('button', { type: 'button', class: 'primary big', 'data-testid': 'report-stop', onclick: () => openSheet(stop.seq) }, t('field.report')),
          ),
        );
      }
      // Stop list
      stopsList.replaceChildren(
        ...a.stops.map((s) => {
          const st = stateOf(s.targetId);
          return h('li', { class: s.seq === selected ? 'selected' : '', 'data-seq': s.seq, 'data-state': st, onclick: () => select(s.seq) },
            h('span', { class: 'seq' }, String(s.seq)),
            h('span', null, s.info?.village ? `${s.info.village} ` : '', s.targetId ?? '', fix ? h('span', { class: 'muted' }, ` · ${formatDistance(distanceM([fix.lon, fix.lat], [s.lon, s.lat]))}`) : null),
            h('span', { class: `state ${st}` }, st === 'done' ? t('field.stopReported') : st === 'queued' ? t('field.stopQueued') : t('field.stopOpen')),
          );
        }),
      );
      fmap?.setStopStates(new Map(a.stops.map((s) => [s.seq, stateOf(s.targetId)])), select);
    };
    const select = (seq: number) => {
      selected = seq;
      const s = a.stops.find((x) => x.seq === seq);
      if (s) fmap?.flyTo([s.lon, s.lat]);
      draw();
    };

    const openSheet = (seq: number | null) => {
      const stop = seq === null ? null : a.stops.find((s) => s.seq === seq) ?? null;
      const sheet = reportSheet({
        team: acc.team ?? null,
        targetId: stop?.targetId ?? null,
        stopSeq: stop?.seq ?? null,
        stopPosition: stop ? [stop.lon, stop.lat] : null,
        currentFix: () => fix,
        onSave: async (report, photos) => {
          await outbox.add(report, photos);
          toast(t('field.form.saved'));
          // On to the next open stop, so the team sees where to walk now.
          if (stop?.targetId) {
            queuedTargets.add(stop.targetId);
            const next = nextOpenStop(a.stops, new Set([...sentTargets, ...queuedTargets]));
            if (next) select(next.seq);
          }
          // Background Sync: the service worker sends it once online, even if the app is closed first.
          void requestOutboxSync();
          void flush();
        },
        onClose: () => sheet.remove(),
      });
      document.body.append(sheet);
      cleanups.push(() => sheet.remove());
    };

    // Position
    if ('geolocation' in navigator) {
      const id = navigator.geolocation.watchPosition(
        (p) => {
          fix = { lon: p.coords.longitude, lat: p.coords.latitude, accuracyM: p.coords.accuracy };
          fixLine.textContent = t('field.fix', { acc: Math.round(fix.accuracyM) });
          fmap?.setFix(fix);
          onFix();
          draw();
        },
        (e) => {
          // The browser's own text is English whatever the UI language: word it by its code.
          fixLine.textContent = t('field.fixDenied', { msg: t(`field.geo.${e.code}`) });
        },
        { enableHighAccuracy: true, maximumAge: 10_000, timeout: 60_000 },
      );
      cleanups.push(() => navigator.geolocation.clearWatch(id));
    }

    let framedFix = false;
    const frameFix = () => {
      // Once, when the first fix arrives: show the phone's position together with the stops.
      if (framedFix || !fix || !fmap) return;
      framedFix = true;
      const pts = [...a.stops.map((s) => [s.lon, s.lat]), [fix.lon, fix.lat]];
      const lons = pts.map((p) => p[0]), lats = pts.map((p) => p[1]);
      fmap.map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]], { padding: 48, maxZoom: 17, duration: 0 });
    };
    onFix = frameFix;
    // The map code (MapLibre, most of the bytes) loads after the route and stops are on screen: on a
    // weak network the team reads where to go first (npm run bench:web measures it).
    void import('./field-map').then(({ createFieldMap }) => createFieldMap(mapEl, a, rasters)).then((m) => {
      if (isDisposed()) return m.remove();
      fmap = m;
      cleanups.push(() => m.remove());
      m.setFix(fix);
      frameFix();
      m.map.once('idle', () => (mapEl.dataset.rendered = '1'));
      draw();
    });
    void drawPrepare(prepare, a, rasters);
    void refreshQueue();
  }
}

async function drawPrepare(card: HTMLElement, a: FieldAssignment, rasters: RasterInfo[]): Promise<void> {
  const points = a.stops.map((s) => [s.lon, s.lat] as [number, number]);
  const urls: string[] = [];
  let zUsed = 0;
  for (const r of rasters) {
    if (r.kind !== 'ortho' || !r.tiles || !r.bounds) continue;
    const sel = tilesAround(points, { bounds: r.bounds, minzoom: r.minzoom ?? 12, maxzoom: r.maxzoom ?? TILE_MAX_ZOOM }, { radiusM: TILE_RADIUS_M, maxZoom: TILE_MAX_ZOOM, minZoom: 12, maxTiles: Math.max(1, TILE_MAX_COUNT - urls.length) });
    zUsed = Math.max(zUsed, sel.maxZoomUsed);
    urls.push(...sel.tiles.map((tile) => tileUrl(r.tiles!, tile, location.href)));
  }
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const appState = h('p', { class: 'muted', 'data-testid': 'app-cached' }, offlineReady() ? t('field.appReady') : t('field.appNotReady'));
  const plan = h('p', { 'data-testid': 'tiles-plan' }, urls.length ? t('field.tilesPlan', { n: urls.length, mb: mb(urls.length * ESTIMATED_TILE_BYTES), r: TILE_RADIUS_M, z: zUsed }) : t('field.tilesNone'));
  const bar = h('div', { class: 'progress', hidden: true }, h('div'));
  const status = h('p', { 'data-testid': 'tiles-status' });
  const usage = await tileCacheUsage().catch(() => ({ tiles: 0, bytes: 0 }));
  if (usage.tiles > 0) status.textContent = t('field.tilesDone', { n: usage.tiles, mb: mb(usage.bytes) });
  const button = h('button', {
    type: 'button', class: 'big', 'data-testid': 'tiles-download', disabled: urls.length === 0,
    onclick: async () => {
      button.disabled = true;
      bar.hidden = false;
      const p = await prefetchTiles(urls, {
        onProgress: (x) => {
          (bar.firstChild as HTMLElement).style.width = `${(100 * x.done) / x.total}%`;
          status.textContent = t('field.tilesProgress', { done: x.done, total: x.total, mb: mb(x.bytes) });
        },
      });
      const u = await tileCacheUsage();
      status.textContent = t('field.tilesDone', { n: u.tiles, mb: mb(u.bytes) }) + (p.failed ? ` · ${t('field.tilesFailed', { n: p.failed })}` : '');
      button.disabled = false;
    },
  }, t('field.tilesDownload'));
  card.replaceChildren(h('h2', null, t('field.prepare')), appState, plan, h('div', { class: 'actions' }, button), bar, status);
  if (!offlineReady() && 'serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('controllerchange', () => (appState.textContent = t('field.appReady')), { once: true });
  }
}

function hhmm(s: number): string {
  const m = Math.round(s / 60);
  return `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

function toast(text: string): void {
  const el = h('div', { class: 'toast', role: 'status', 'data-testid': 'toast' }, text);
  document.body.append(el);
  setTimeout(() => el.remove(), 2500);
}
