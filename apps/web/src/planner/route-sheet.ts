import { formatClock, type Plan, type PlanRoute } from '@tiandi/planner';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { fmtNumber, t } from '../i18n/index';
import { h } from '../ui/h';

/** A team's working days that have stops, in order. */
export function teamDays(plan: Plan, teamId: string): PlanRoute[] {
  return plan.routes.filter((r) => r.teamId === teamId && r.stops.length > 0).sort((a, b) => a.day - b.day);
}

/** A picture of the map fitted to one route, one team's one day (the canvas keeps its drawing buffer). */
export async function routePicture(map: MapLibreMap, route: PlanRoute, colour = '#1f77b4'): Promise<string> {
  const pts = [route.start, ...route.path, ...route.stops.map((s) => [s.lon, s.lat] as [number, number])];
  const lons = pts.map((p) => p[0]);
  const lats = pts.map((p) => p[1]);
  const before = { center: map.getCenter(), zoom: map.getZoom() };
  // Only this team's route of that day in the picture.
  const routeLayers = ['routes-line', 'routes-casing'].filter((id) => map.getLayer(id));
  for (const id of routeLayers) map.setFilter(id, ['all', ['==', ['get', 'team'], route.teamId], ['==', ['get', 'day'], route.day]]);
  map.fitBounds(
    [
      [Math.min(...lons), Math.min(...lats)],
      [Math.max(...lons), Math.max(...lats)],
    ],
    { padding: 40, animate: false, maxZoom: 20 },
  );
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 4000);
    map.once('idle', () => {
      clearTimeout(timer);
      resolve();
    });
    map.triggerRepaint();
  });
  // The stop numbers are HTML markers, not in the canvas: paint them onto a copy.
  const src = map.getCanvas();
  const copy = document.createElement('canvas');
  copy.width = src.width;
  copy.height = src.height;
  const ctx = copy.getContext('2d')!;
  ctx.drawImage(src, 0, 0);
  const ratio = src.width / src.clientWidth;
  ctx.font = `bold ${Math.round(12 * ratio)}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const dot = (x: number, y: number, fill: string, label: string) => {
    ctx.beginPath();
    ctx.arc(x, y, 11 * ratio, 0, Math.PI * 2);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = 2 * ratio;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.fillText(label, x, y + ratio);
  };
  const depot = map.project(route.start);
  dot(depot.x * ratio, depot.y * ratio, '#111111', '⌂');
  route.stops.forEach((s, i) => {
    const p = map.project([s.lon, s.lat]);
    dot(p.x * ratio, p.y * ratio, colour, String(i + 1));
  });
  const url = copy.toDataURL('image/png');
  for (const id of routeLayers) map.setFilter(id, null);
  map.jumpTo(before);
  return url;
}

const SHEET_COLUMNS = ['sheet.col.seq', 'sheet.col.target', 'sheet.col.arrive', 'sheet.col.leave', 'sheet.col.position', 'sheet.col.walk', 'sheet.col.done'];

/** One stop: order, village and target (with what to look for), times, position, walk, and a blank for the result. */
function stopRow(s: PlanRoute['stops'][number], j: number): HTMLElement {
  return h(
    'tr',
    null,
    h('td', null, String(j + 1)),
    h(
      'td',
      null,
      s.info?.village ? h('strong', null, s.info.village, ' ') : '',
      s.targetId.length > 18 ? `${s.targetId.slice(0, 18)}…` : s.targetId,
      // What the team looks for there: area, score, model, in both languages (older plans have none).
      s.info ? h('div', { class: 'muted', 'data-testid': 'sheet-look-for' }, s.info.lookFor) : '',
    ),
    h('td', null, formatClock(s.arrivalS)),
    h('td', null, formatClock(s.departureS)),
    h('td', null, `${s.lat.toFixed(6)}, ${s.lon.toFixed(6)}`),
    h('td', null, fmtNumber(s.walkM, 0)),
    h('td', { class: 'blank' }, ''),
  );
}

/** One working day: its heading (when there are several), departure and return, the map picture and the stop table. */
function daySection(plan: Plan, route: PlanRoute, picture: string, teamLabel: string, multiDay: boolean): HTMLElement {
  return h(
    'section',
    { class: 'sheet-day', 'data-testid': 'sheet-day', 'data-day': String(route.day + 1) },
    multiDay ? h('h2', null, t('sheet.day', { n: route.day + 1, date: route.date ?? '' })) : '',
    h(
      'p',
      null,
      `${multiDay ? '' : `${plan.date ?? ''} · `}${t('sheet.depart', { time: formatClock(route.departS), back: formatClock(route.returnS) })} · ${fmtNumber(route.distanceM / 1000, 1)} km`,
    ),
    h('img', { class: 'sheet-map', src: picture, alt: `${teamLabel} ${route.day + 1}` }),
    h(
      'table',
      { class: 'list sheet-table' },
      h('thead', null, h('tr', null, ...SHEET_COLUMNS.map((k) => h('th', null, t(k))))),
      h('tbody', null, ...route.stops.map(stopRow)),
    ),
  );
}

/**
 * The printable route sheet of one team: title, then per working day (a page each when printed) the
 * date, departure and return, the map picture, and the ordered stop list with times, positions and a
 * blank column for the result. Shown as an overlay with a Print button (print CSS hides everything else).
 * `routes`: the team's days ({@link teamDays}); `pictures`: one per route.
 */
export function routeSheet(plan: Plan, routes: PlanRoute[], teamLabel: string, pictures: string[], onClose: () => void): HTMLElement {
  const multiDay = routes.length > 1;
  const close = () => {
    overlay.remove();
    onClose();
  };
  const overlay = h(
    'div',
    { class: 'sheet-overlay', 'data-testid': 'route-sheet' },
    h(
      'div',
      { class: 'sheet' },
      h(
        'div',
        { class: 'sheet-actions no-print' },
        h('button', { class: 'primary', type: 'button', onclick: () => window.print() }, t('sheet.print')),
        h('button', { type: 'button', onclick: close }, t('common.close')),
      ),
      h('h1', null, t('sheet.title', { team: teamLabel })),
      ...routes.map((route, i) => daySection(plan, route, pictures[i], teamLabel, multiDay)),
    ),
  );
  return overlay;
}
