import { planToCsv, planToGeoJson, planToGpx, planToKml, type Plan } from '@tiandi/planner';
import { downloadText } from '../api/api';
import { fmtNumber, t } from '../i18n/index';
import { formatDuration } from '../operator/jobs-panel';
import { h } from '../ui/h';
import { teamColour } from './route-layers';

/** The file exports of a plan: name suffix, MIME type, and the planner's writer. */
export const PLAN_EXPORTS = [
  { key: 'gpx', label: 'GPX', mime: 'application/gpx+xml', write: planToGpx },
  { key: 'kml', label: 'KML', mime: 'application/vnd.google-earth.kml+xml', write: planToKml },
  { key: 'geojson', label: 'GeoJSON', mime: 'application/geo+json', write: (p: Plan) => JSON.stringify(planToGeoJson(p), null, 1) },
  { key: 'csv', label: 'CSV', mime: 'text/csv', write: planToCsv }, // planToCsv starts with the one BOM spreadsheets need
] as const;

type PlanResultOptions = { teamOrder: string[]; teamLabel: (id: string) => string; onSheet: (teamId: string) => void; onSave: () => Promise<string> };

/** A team's totals over all its routes (days): stops, working time and road distance. */
export function teamTotals(plan: Plan, teamId: string): { stops: number; durationS: number; distanceM: number } {
  const routes = plan.routes.filter((r) => r.teamId === teamId);
  return {
    stops: routes.reduce((n, r) => n + r.stops.length, 0),
    durationS: routes.reduce((n, r) => n + r.durationS, 0),
    distanceM: routes.reduce((n, r) => n + r.distanceM, 0),
  };
}

/** One team: its colour, name, totals (no time without stops) and its route-sheet button. */
function teamRow(plan: Plan, teamId: string, opts: PlanResultOptions): HTMLElement {
  const { stops, durationS, distanceM } = teamTotals(plan, teamId);
  return h(
    'li',
    { 'data-team': teamId },
    h('span', { class: 'swatch', style: { background: teamColour(opts.teamOrder.indexOf(teamId)) } }),
    h('strong', null, opts.teamLabel(teamId)),
    ' ',
    h('span', { class: 'muted' }, t('plan.teamTotals', { stops, duration: formatDuration(stops ? durationS : 0), km: fmtNumber(distanceM / 1000, 1) })),
    ' ',
    stops ? h('button', { type: 'button', 'data-testid': `sheet-${teamId}`, onclick: () => opts.onSheet(teamId) }, t('plan.sheet')) : null,
  );
}

/** The longest team's time against the lower bound, when the planner gave one. */
function makespanLine(o: Plan['objective']): HTMLElement | null {
  if (!o.makespanS) return null;
  return h(
    'p',
    { class: 'muted', 'data-testid': 'plan-makespan' },
    t('plan.makespan', { makespan: formatDuration(o.makespanS), bound: formatDuration(o.lowerBoundS ?? 0), gap: fmtNumber((o.gapToLowerBound ?? 0) * 100, 1) }),
  );
}

/** Targets the plan could not serve, each with the planner's reason. */
function unassignedList(plan: Plan): HTMLElement | string {
  if (!plan.unassigned.length) return '';
  return h(
    'details',
    { open: true, 'data-testid': 'unassigned' },
    h('summary', null, `${t('plan.unassigned')} (${plan.unassigned.length})`),
    h('ul', { class: 'history' }, ...plan.unassigned.map((u) => h('li', null, `${u.targetId.slice(0, 20)}: ${u.message}`))),
  );
}

/** One download button per {@link PLAN_EXPORTS} format. */
function exportButtons(plan: Plan): HTMLElement {
  const name = `plan-${plan.date ?? 'today'}`;
  return h(
    'div',
    { class: 'buttons' },
    h('span', null, t('plan.export'), ': '),
    ...PLAN_EXPORTS.map((x) =>
      h('button', { type: 'button', 'data-testid': `export-${x.key}`, onclick: () => downloadText(`${name}.${x.key}`, x.write(plan), x.mime) }, x.label),
    ),
  );
}

/** "Save to workspace", telling the saved plan's id or the error in `status`. */
function saveButton(status: HTMLElement, onSave: () => Promise<string>): HTMLElement {
  const save = async () => {
    try {
      const id = await onSave();
      status.className = 'muted';
      status.textContent = t('plan.saved', { id });
    } catch (e) {
      status.className = 'error';
      status.textContent = (e as Error).message;
    }
  };
  return h('div', { class: 'buttons' }, h('button', { type: 'button', class: 'primary', 'data-testid': 'save-plan', onclick: save }, t('plan.save')));
}

/**
 * The plan panel: totals, one row per team (colour, stops, time, distance, route sheet),
 * unassigned targets with the planner's reason, exports, and "save to workspace".
 */
export function planResult(plan: Plan, opts: PlanResultOptions): HTMLElement {
  const o = plan.objective;
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'plan-status' });
  return h(
    'section',
    { class: 'panel', 'data-testid': 'plan-result' },
    h('h2', null, t('plan.result')),
    h('p', { 'data-testid': 'plan-summary' }, t('plan.summary', { served: o.served, unserved: o.unserved, km: fmtNumber(o.totalDistanceM / 1000, 1) })),
    makespanLine(o),
    h('p', { class: 'muted' }, t(plan.stats.travel === 'network' ? 'plan.travel.network' : 'plan.travel.geodesic')),
    h('ul', { class: 'teams' }, ...opts.teamOrder.map((teamId) => teamRow(plan, teamId, opts))),
    unassignedList(plan),
    exportButtons(plan),
    saveButton(status, opts.onSave),
    status,
  );
}
