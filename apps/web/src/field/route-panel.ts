import type { FieldAssignment, RasterInfo } from '@tiandi/api';
import type { Account } from '../auth/session';
import { getLang, t } from '../i18n/index';
import { requestOutboxSync } from '../pwa/background-sync';
import type { Outbox } from '../pwa/outbox';
import { h } from '../ui/h';
import { nextOpenStop } from './field-geo';
import type { FieldMap } from './field-map';
import type { FieldFrame } from './field-status';
import { drawPrepare } from './prepare-card';
import { reportSheet } from './report-sheet';
import { drawNextStop, drawQueue, drawStopList, type Fix, type StopState } from './route-cards';

/** What the route panel works with. */
export interface RouteContext {
  outbox: Outbox;
  frame: FieldFrame;
  cleanups: (() => void)[];
  isDisposed: () => boolean;
}

/** The panel's cards. */
interface RouteLayout {
  mapEl: HTMLElement;
  nextCard: HTMLElement;
  stopsList: HTMLElement;
  fixLine: HTMLElement;
  prepare: HTMLElement;
  queueCard: HTMLElement;
}

/** What changes while the team works: the fix, the selected stop, the map once loaded, and which targets are queued or sent. */
interface RouteState {
  fix: Fix | null;
  selected: number | null;
  fmap: FieldMap | null;
  queuedTargets: Set<string>;
  sentTargets: Set<string>;
}

/**
 * The team's route: the map (loaded after the text, so a weak network shows where to go first), the
 * next stop with the way there, the stop list, the report queue and the offline preparation card;
 * follows the phone's position and the outbox.
 */
export function routePanel(ctx: RouteContext, acc: Account, a: FieldAssignment, rasters: RasterInfo[], savedAt: string): void {
  const ui = routeLayout(ctx.frame.body, a, savedAt, () => openSheet(null));
  const st: RouteState = {
    fix: null,
    selected: null,
    fmap: null,
    queuedTargets: new Set(),
    sentTargets: new Set(a.reports.map((r) => r.targetId).filter((x): x is string => !!x)),
  };
  const stateOf = (targetId: string | null): StopState =>
    targetId && st.sentTargets.has(targetId) ? 'done' : targetId && st.queuedTargets.has(targetId) ? 'queued' : 'open';

  const refreshQueue = async () => {
    const items = await ctx.outbox.list();
    drawQueue(ui.queueCard, items, ctx.outbox);
    st.queuedTargets = new Set(items.map((i) => i.report.properties.target_id).filter((x): x is string => !!x));
    for (const s of await ctx.outbox.sent()) if (s.targetId) st.sentTargets.add(s.targetId);
    draw();
  };
  ctx.frame.onQueueChange = () => void refreshQueue();

  const draw = () => {
    const next = nextOpenStop(a.stops, new Set([...st.sentTargets, ...st.queuedTargets]));
    if (st.selected === null || !a.stops.some((s) => s.seq === st.selected)) st.selected = next?.seq ?? a.stops[0]?.seq ?? null;
    const stop = a.stops.find((s) => s.seq === st.selected) ?? null;
    drawNextStop(ui.nextCard, a, stop, !!stop && !!next && next.seq === stop.seq, st.fix, openSheet);
    drawStopList(ui.stopsList, a, st.selected, st.fix, stateOf, select);
    st.fmap?.setStopStates(new Map(a.stops.map((s) => [s.seq, stateOf(s.targetId)])), select);
  };
  const select = (seq: number) => {
    st.selected = seq;
    const s = a.stops.find((x) => x.seq === seq);
    if (s) st.fmap?.flyTo([s.lon, s.lat]);
    draw();
  };
  const openSheet = (seq: number | null) => openReportSheet(ctx, acc, a, st, seq, select);

  let framedFix = false;
  const frameFix = () => {
    // Once, when the first fix arrives: show the phone's position together with the stops.
    if (framedFix || !st.fix || !st.fmap) return;
    framedFix = true;
    fitStopsAndFix(st.fmap, a, st.fix);
  };
  watchFix(
    ctx,
    (fix) => {
      st.fix = fix;
      ui.fixLine.textContent = t('field.fix', { acc: Math.round(fix.accuracyM) });
      st.fmap?.setFix(fix);
      frameFix();
      draw();
    },
    (text) => (ui.fixLine.textContent = text),
  );
  // The map code (MapLibre, most of the bytes) loads after the route and stops are on screen: on a
  // weak network the team reads where to go first (npm run bench:web measures it).
  void import('./field-map')
    .then(({ createFieldMap }) => createFieldMap(ui.mapEl, a, rasters))
    .then((m) => {
      if (ctx.isDisposed()) return m.remove();
      st.fmap = m;
      ctx.cleanups.push(() => m.remove());
      m.setFix(st.fix);
      frameFix();
      m.map.once('idle', () => (ui.mapEl.dataset.rendered = '1'));
      draw();
    });
  void drawPrepare(ui.prepare, a, rasters);
  void refreshQueue();
}

/** The map beside the side panel: team, saved time, fix line, report-off-route and GPX; then the cards. */
function routeLayout(body: HTMLElement, a: FieldAssignment, savedAt: string, reportOffRoute: () => void): RouteLayout {
  const ui: RouteLayout = {
    mapEl: h('div', { class: 'map', 'data-testid': 'field-map' }),
    nextCard: h('section', { class: 'card next', 'data-testid': 'next-stop' }),
    stopsList: h('ol', { class: 'stops', 'data-testid': 'stop-list' }),
    fixLine: h('p', { class: 'muted', 'data-testid': 'fix' }, t('field.noFix')),
    prepare: h('section', { class: 'card', 'data-testid': 'prepare' }),
    queueCard: h('section', { class: 'card', 'data-testid': 'queue', hidden: true }),
  };
  const side = h(
    'div',
    { class: 'side' },
    h(
      'section',
      { class: 'card' },
      h('h2', null, t('field.team', { team: a.team })),
      h(
        'p',
        { class: 'muted', 'data-testid': 'route-state' },
        a.plan && a.stops.length ? t('field.savedAt', { time: new Date(savedAt).toLocaleString(getLang()) }) : t('field.noPlan'),
      ),
      ui.fixLine,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'big', 'data-testid': 'report-off-route', onclick: reportOffRoute }, t('field.reportOffRoute')),
        h('a', { class: 'big', href: './api/field/assignment.gpx', download: `tiandi-${a.team}.gpx`, 'data-testid': 'gpx' }, t('field.gpx')),
      ),
    ),
    ui.nextCard,
    ui.queueCard,
    h('section', { class: 'card' }, h('h2', null, t('field.stops', { n: a.stops.length })), ui.stopsList),
    ui.prepare,
  );
  body.replaceChildren(h('div', { class: 'fmap' }, ui.mapEl), side);
  return ui;
}

/** Opens the report form for stop `seq` (null: off the route); a saved report is queued, sent when possible, and the next open stop selected. */
function openReportSheet(ctx: RouteContext, acc: Account, a: FieldAssignment, st: RouteState, seq: number | null, select: (seq: number) => void): void {
  const stop = seq === null ? null : (a.stops.find((s) => s.seq === seq) ?? null);
  const sheet = reportSheet({
    team: acc.team ?? null,
    targetId: stop?.targetId ?? null,
    stopSeq: stop?.seq ?? null,
    stopPosition: stop ? [stop.lon, stop.lat] : null,
    currentFix: () => st.fix,
    onSave: async (report, photos) => {
      await ctx.outbox.add(report, photos);
      toast(t('field.form.saved'));
      // On to the next open stop, so the team sees where to walk now.
      if (stop?.targetId) {
        st.queuedTargets.add(stop.targetId);
        const next = nextOpenStop(a.stops, new Set([...st.sentTargets, ...st.queuedTargets]));
        if (next) select(next.seq);
      }
      // Background Sync: the service worker sends it once online, even if the app is closed first.
      void requestOutboxSync();
      void ctx.frame.flush();
    },
    onClose: () => sheet.remove(),
  });
  document.body.append(sheet);
  ctx.cleanups.push(() => sheet.remove());
}

/** Follows the phone's position; the browser's error text is English whatever the UI language, so it is worded by its code. */
function watchFix(ctx: RouteContext, onFix: (fix: Fix) => void, onError: (text: string) => void): void {
  if (!('geolocation' in navigator)) return;
  const id = navigator.geolocation.watchPosition(
    (p) => onFix({ lon: p.coords.longitude, lat: p.coords.latitude, accuracyM: p.coords.accuracy }),
    (e) => onError(t('field.fixDenied', { msg: t(`field.geo.${e.code}`) })),
    { enableHighAccuracy: true, maximumAge: 10_000, timeout: 60_000 },
  );
  ctx.cleanups.push(() => navigator.geolocation.clearWatch(id));
}

/** Frames the stops and the phone's position together. */
function fitStopsAndFix(fmap: FieldMap, a: FieldAssignment, fix: Fix): void {
  const pts = [...a.stops.map((s) => [s.lon, s.lat]), [fix.lon, fix.lat]];
  const lons = pts.map((p) => p[0]),
    lats = pts.map((p) => p[1]);
  fmap.map.fitBounds(
    [
      [Math.min(...lons), Math.min(...lats)],
      [Math.max(...lons), Math.max(...lats)],
    ],
    { padding: 48, maxZoom: 17, duration: 0 },
  );
}

function toast(text: string): void {
  const el = h('div', { class: 'toast', role: 'status', 'data-testid': 'toast' }, text);
  document.body.append(el);
  setTimeout(() => el.remove(), 2500);
}
