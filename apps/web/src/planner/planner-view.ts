import type { DepotBody, PlanBody } from '@tiandi/api';
import { planInputs, planRecord, SERVICE_TIME_DEFAULTS, type Plan } from '@tiandi/planner';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { api } from '../api/api';
import { t } from '../i18n/index';
import { createMap, whenLoaded } from '../map/create-map';
import { fitToSurvey } from '../map/fit';
import { layerControl } from '../map/layer-control';
import { loadSurvey, type FC } from '../map/survey-data';
import { addSurveyLayers, type SurveyLayers } from '../map/survey-layers';
import type { View } from '../router';
import { h } from '../ui/h';
import { depotLabel, type DepotContext } from './depot-label';
import { drawPolygon } from './polygon-tool';
import { planResult } from './plan-result';
import { routeLayers, teamColour, type RouteLayers } from './route-layers';
import { routePicture, routeSheet, teamDays } from './route-sheet';
import { runPlanner } from './run-planner';
import { selectTargets, type TargetSelection } from './select-targets';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

type Survey = Awaited<ReturnType<typeof loadSurvey>>;
type PlanningContext = { roads: FC | null; reviewThreshold?: number | null } & DepotContext;
type PlannerForm = ReturnType<typeof plannerForm>;

/** What the view's handlers share: the depot, the order of the last plan's teams, and the drawing in progress. */
interface PlannerState {
  depot: [number, number] | null;
  teamOrder: string[];
  stopDrawing: (() => void) | null;
}

/** Everything a handler of the view reaches. */
interface PlannerParts {
  map: MapLibreMap;
  mapEl: HTMLElement;
  form: PlannerForm;
  data: Survey;
  context: PlanningContext;
  layers: SurveyLayers;
  routes: RouteLayers;
  sel: TargetSelection;
  state: PlannerState;
  signal: AbortSignal;
}

/** #/planner — choose targets, teams, depot, shift and service time; plan in the browser; export and print. */
const plannerView: View = async (root) => {
  const health = await api<{ basemapUrl: string | null }>('/api/health').catch(() => ({ basemapUrl: null }));
  const mapEl = h('div', { class: 'map', 'data-testid': 'map' });
  const mapBox = h('div', { class: 'mapbox' }, mapEl);
  const sidebar = h('aside', { class: 'sidebar', 'data-testid': 'planner-sidebar' });
  root.append(h('div', { class: 'layout' }, sidebar, mapBox));
  const map = createMap(mapEl, { basemapUrl: health.basemapUrl });
  const abort = new AbortController();

  const [data, context] = await Promise.all([
    loadSurvey(abort.signal),
    api<PlanningContext>('/api/planning/context').catch(() => ({ roads: null, depot: null, depotName: null, reviewThreshold: null })),
  ]);
  const state: PlannerState = { depot: context.depot, teamOrder: [], stopDrawing: null };
  // Every target scoring at least the season's review threshold must be visited: that is the default minimum.
  const threshold = context.reviewThreshold ?? 0.35;
  const sel: TargetSelection = { minScore: threshold, zone: '', polygon: null, onlyOpen: true };
  const form = plannerForm(data, sel);
  sidebar.append(...form.sections);

  await whenLoaded(map);
  const { layers, routes } = showSurvey(map, mapBox, data, context, state.depot);
  const parts: PlannerParts = { map, mapEl, form, data, context, layers, routes, sel, state, signal: abort.signal };
  const refreshSelection = wireSelection(parts, threshold);
  showDepot(parts);
  wirePolygon(parts, refreshSelection);
  wireDepot(parts);
  form.runButton.addEventListener('click', () => void planAndShow(parts));
  mapEl.dataset.loaded = String(data.targets.features.length);

  return () => {
    abort.abort();
    state.stopDrawing?.();
    map.remove();
  };
};
export default plannerView;

/** The sidebar: target selection, teams and schedule, the run button with its progress, and the result box. */
function plannerForm(data: Survey, sel: TargetSelection) {
  const num = (value: number, min: number, max: number, step: number, testid: string) =>
    h('input', {
      type: 'number',
      value: String(value),
      min: String(min),
      max: String(max),
      step: String(step),
      'data-testid': testid,
      style: { width: '80px' },
    });
  const f = {
    minScore: num(sel.minScore, 0, 1, 0.05, 'min-score'),
    zones: h(
      'select',
      { 'data-testid': 'zone-select' },
      h('option', { value: '' }, t('plan.select.allZones')),
      ...data.zones.features
        .filter((f) => f.properties.level === 'village' || data.zones.features.length < 30)
        .map((f) => h('option', { value: String(f.properties.zone_id) }, `${f.properties.name ?? ''} ${f.properties.zone_id}`)),
    ),
    onlyOpen: h('input', { type: 'checkbox', checked: true, 'data-testid': 'only-open' }),
    polyButton: h('button', { type: 'button', 'data-testid': 'draw-polygon' }, t('plan.select.polygon')),
    polyClear: h('button', { type: 'button', style: { display: 'none' } }, t('plan.select.clearPolygon')),
    hint: h('p', { class: 'muted' }),
    selectedCount: h('p', { 'data-testid': 'selected-count' }),
    teams: num(3, 1, 20, 1, 'teams'),
    shift: num(8, 1, 16, 0.5, 'shift-hours'),
    days: num(1, 1, 14, 1, 'days'),
    service: num(SERVICE_TIME_DEFAULTS.baseS / 60, 1, 240, 1, 'service-min'),
    servicePerM2: num(SERVICE_TIME_DEFAULTS.perM2S, 0, 60, 0.1, 'service-per-m2'),
    timeLimit: num(3, 1, 60, 1, 'time-limit'),
    depotText: h('span', { 'data-testid': 'depot-text' }),
    depotButton: h('button', { type: 'button', 'data-testid': 'pick-depot' }, t('plan.depot.pick')),
    runButton: h('button', { type: 'button', class: 'primary', 'data-testid': 'run-plan' }, t('plan.run')),
    progressBar: h('div'),
    errorText: h('p', { class: 'error', role: 'alert', 'data-testid': 'plan-error' }),
    resultBox: h('div'),
  };
  const progress = h(
    'div',
    { class: 'plan-progress', style: { display: 'none' } },
    h('div', { class: 'progress' }, f.progressBar),
    h('p', { class: 'muted', 'data-testid': 'plan-progress' }),
  );
  const sections = [
    h(
      'section',
      { class: 'panel' },
      h('h2', null, t('plan.select')),
      h('label', null, t('plan.select.score'), ' ', f.minScore),
      h('label', null, t('plan.select.zone'), ' ', f.zones),
      h('label', null, f.onlyOpen, ' ', t('plan.select.onlyOpen')),
      h('div', { class: 'buttons' }, f.polyButton, f.polyClear),
      f.hint,
      f.selectedCount,
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', null, t('plan.title')),
      h('label', null, t('plan.teams'), ' ', f.teams),
      h('label', null, t('plan.depot'), ' ', f.depotText, ' ', f.depotButton),
      h('label', null, t('plan.shift'), ' ', f.shift),
      h('label', null, t('plan.days'), ' ', f.days),
      h('label', null, t('plan.service'), ' ', f.service),
      h('label', null, t('plan.servicePerM2'), ' ', f.servicePerM2),
      h('label', null, t('plan.timeLimit'), ' ', f.timeLimit),
      f.runButton,
      progress,
      f.errorText,
    ),
    f.resultBox,
  ];
  return { ...f, progress, sections };
}

/** Draws the survey (zones, footprints, gaps, rasters), the roads and the depot, and fits the map to them. */
function showSurvey(map: MapLibreMap, mapBox: HTMLElement, data: Survey, context: PlanningContext, depot: [number, number] | null) {
  const layers = addSurveyLayers(map);
  const routes = routeLayers(map);
  mapBox.append(layerControl(layers, [h('button', { type: 'button', onclick: () => fitToSurvey(map, data, true) }, t('map.fit'))]));
  layers.setZones(data.zones);
  layers.setFootprints(data.footprints);
  layers.setGaps(data.gaps);
  layers.setRasters(data.rasters);
  routes.setRoads(context.roads);
  routes.setDepot(depot);
  fitToSurvey(map, data);
  return { layers, routes };
}

const chosen = ({ data, sel }: PlannerParts) => selectTargets(data.targets.features, sel);

/** Keeps the selection (score, zone, open only) in step with the form and the map; returns the refresh to call after other changes. */
function wireSelection(parts: PlannerParts, threshold: number): () => void {
  const { form, data, sel, layers } = parts;
  const refreshSelection = () => {
    sel.minScore = Number(form.minScore.value) || 0;
    sel.zone = form.zones.value;
    sel.onlyOpen = form.onlyOpen.checked;
    const list = chosen(parts);
    const below = selectTargets(data.targets.features, { ...sel, minScore: 0 }).length - list.length;
    form.selectedCount.textContent =
      t('plan.selected', { n: list.length }) + (below > 0 ? ` — ${t('plan.belowScore', { n: below, score: sel.minScore, threshold })}` : '');
    layers.setTargets({ type: 'FeatureCollection', features: list });
  };
  for (const el of [form.minScore, form.zones, form.onlyOpen]) el.addEventListener('change', refreshSelection);
  form.minScore.addEventListener('input', refreshSelection);
  refreshSelection();
  return refreshSelection;
}

function showDepot({ form, context, state }: PlannerParts): void {
  form.depotText.textContent = depotLabel(context, state.depot) ?? t('plan.depot.none');
}

/** Draw a polygon to plan only the targets inside it; clear it to plan them all again. */
function wirePolygon({ map, form, sel, routes, state }: PlannerParts, refreshSelection: () => void): void {
  form.polyButton.addEventListener('click', () => {
    state.stopDrawing?.();
    form.hint.textContent = t('plan.select.polygonHint');
    state.stopDrawing = drawPolygon(map, (ring, closed) => {
      routes.setSelectionPolygon(ring, closed);
      if (closed) {
        state.stopDrawing = null;
        form.hint.textContent = '';
        sel.polygon = [...ring];
        form.polyClear.style.display = '';
        refreshSelection();
      }
    });
  });
  form.polyClear.addEventListener('click', () => {
    sel.polygon = null;
    routes.setSelectionPolygon(null, false);
    form.polyClear.style.display = 'none';
    refreshSelection();
  });
}

/** Pick the depot with a click on the map; it is stored on the server for next time. */
function wireDepot(parts: PlannerParts): void {
  const { map, form, routes, state } = parts;
  form.depotButton.addEventListener('click', () => {
    state.stopDrawing?.();
    form.hint.textContent = t('plan.depot.hint');
    map.getCanvas().style.cursor = 'crosshair';
    map.once('click', (e: MapMouseEvent) => {
      const depot: [number, number] = [e.lngLat.lng, e.lngLat.lat];
      state.depot = depot;
      map.getCanvas().style.cursor = '';
      form.hint.textContent = '';
      routes.setDepot(depot);
      showDepot(parts);
      void api('/api/planning/depot', { method: 'PUT', body: { depot } satisfies DepotBody }).catch(() => undefined);
    });
  });
}

/** Plans the chosen targets with the form's teams and schedule, showing progress, then draws and lists the plan. */
async function planAndShow(parts: PlannerParts): Promise<void> {
  const { form, state } = parts;
  form.errorText.textContent = '';
  const list = chosen(parts);
  if (list.length === 0) return void (form.errorText.textContent = t('plan.noTargets'));
  if (!state.depot) return void (form.errorText.textContent = t('plan.noDepot'));
  const n = Math.max(1, Math.min(20, Math.round(Number(form.teams.value) || 1)));
  // The planner's one service-time rule (base + per m² of plot) and team ids, as the CLI and the server build them.
  const perM2 = Number(form.servicePerM2.value);
  const { targets, teams: planned } = planInputs(
    { type: 'FeatureCollection', features: list },
    {
      teams: n,
      depot: state.depot,
      shiftS: Math.round((Number(form.shift.value) || 8) * 3600),
      teamName: (k) => t('plan.team', { n: k }),
      service: {
        baseS: Math.round((Number(form.service.value) || SERVICE_TIME_DEFAULTS.baseS / 60) * 60),
        perM2S: form.servicePerM2.value !== '' && perM2 >= 0 ? perM2 : SERVICE_TIME_DEFAULTS.perM2S,
      },
    },
  );
  state.teamOrder = planned.map((x) => x.id);
  form.runButton.disabled = true;
  form.progress.style.display = '';
  try {
    const plan = await runPlanner(
      {
        problem: { targets, teams: planned, date: today(), days: Math.max(1, Math.min(14, Math.round(Number(form.days.value) || 1))) },
        roads: parts.context.roads,
        timeLimitMs: Math.round((Number(form.timeLimit.value) || 3) * 1000),
        seed: 1,
      },
      progressReporter(form),
      parts.signal,
    );
    form.progress.style.display = 'none';
    showPlan(parts, plan);
  } catch (e) {
    if ((e as Error).name !== 'AbortError') form.errorText.textContent = t('plan.failed', { message: (e as Error).message });
  } finally {
    form.runButton.disabled = false;
  }
}

/** Moves the progress bar through the planner's stages, each weighted by its usual share of the time. */
function progressReporter(form: PlannerForm): (stage: string, fraction: number) => void {
  const text = form.progress.querySelector('p')!;
  return (stage, fraction) => {
    const weights: Record<string, [number, number]> = { network: [0, 0.05], matrix: [0.05, 0.25], optimise: [0.3, 0.65], geometry: [0.95, 0.05] };
    const [a, w] = weights[stage] ?? [0, 1];
    const pct = Math.round((a + w * fraction) * 100);
    form.progressBar.style.width = `${pct}%`;
    text.textContent = t('plan.running', { stage: t(`plan.stage.${stage}`), pct });
  };
}

/** Draws the plan's routes and lists them, with a printable sheet per team and saving to the server. */
function showPlan({ map, mapEl, form, routes, state }: PlannerParts, current: Plan): void {
  const teamOrder = state.teamOrder;
  const teamLabel = (id: string) => t('plan.team', { n: state.teamOrder.indexOf(id) + 1 });
  routes.setPlan(current, teamOrder);
  form.resultBox.replaceChildren(
    planResult(current, {
      teamOrder,
      teamLabel,
      onSheet: async (teamId) => {
        // Every working day of the team that has stops, each with its own picture.
        const days = teamDays(current, teamId);
        const pictures: string[] = [];
        for (const route of days) pictures.push(await routePicture(map, route, teamColour(state.teamOrder.indexOf(teamId))));
        document.body.append(routeSheet(current, days, teamLabel(teamId), pictures, () => undefined));
      },
      onSave: async () => {
        const planId = `plan-${current.date ?? today()}-${Date.now().toString(36)}`;
        // One row per team, its days in order (as 'tiandi plans import' records a plan.json).
        await api('/api/plans', { body: planRecord(current, planId, state.teamOrder) satisfies PlanBody });
        return planId;
      },
    }),
  );
  mapEl.dataset.planned = String(current.objective.served);
}
