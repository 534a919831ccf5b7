import type { DepotBody, PlanBody } from '@tiandi/api';
import { planRecord, planTeams, targetsFromGeoJson, type Plan } from '@tiandi/planner';
import type { MapMouseEvent } from 'maplibre-gl';
import { api } from '../api/api';
import { t } from '../i18n/index';
import { createMap, whenLoaded } from '../map/create-map';
import { fitToSurvey } from '../map/fit';
import { layerControl } from '../map/layer-control';
import { loadSurvey, type FC } from '../map/survey-data';
import { addSurveyLayers } from '../map/survey-layers';
import type { View } from '../router';
import { h } from '../ui/h';
import { depotLabel, type DepotContext } from './depot-label';
import { drawPolygon } from './polygon-tool';
import { planResult } from './plan-result';
import { routeLayers, teamColour } from './route-layers';
import { routePicture, routeSheet, teamDays } from './route-sheet';
import { runPlanner } from './run-planner';
import { selectTargets, type TargetSelection } from './select-targets';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

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
    api<{ roads: FC | null; reviewThreshold?: number | null } & DepotContext>('/api/planning/context').catch(() => ({ roads: null, depot: null, depotName: null, reviewThreshold: null })),
  ]);
  let depot: [number, number] | null = context.depot;
  // Every target scoring at least the season's review threshold must be visited: that is the default minimum.
  const threshold = context.reviewThreshold ?? 0.35;
  const sel: TargetSelection = { minScore: threshold, zone: '', polygon: null, onlyOpen: true };
  let plan: Plan | null = null;
  let teamOrder: string[] = [];
  let stopDrawing: (() => void) | null = null;

  // --- form
  const num = (value: number, min: number, max: number, step: number, testid: string) => h('input', { type: 'number', value: String(value), min: String(min), max: String(max), step: String(step), 'data-testid': testid, style: { width: '80px' } });
  const minScore = num(sel.minScore, 0, 1, 0.05, 'min-score');
  const zones = h('select', { 'data-testid': 'zone-select' }, h('option', { value: '' }, t('plan.select.allZones')), ...data.zones.features.filter((f) => f.properties.level === 'village' || data.zones.features.length < 30).map((f) => h('option', { value: String(f.properties.zone_id) }, `${f.properties.name ?? ''} ${f.properties.zone_id}`)));
  const onlyOpen = h('input', { type: 'checkbox', checked: true, 'data-testid': 'only-open' });
  const polyButton = h('button', { type: 'button', 'data-testid': 'draw-polygon' }, t('plan.select.polygon'));
  const polyClear = h('button', { type: 'button', style: { display: 'none' } }, t('plan.select.clearPolygon'));
  const hint = h('p', { class: 'muted' });
  const selectedCount = h('p', { 'data-testid': 'selected-count' });
  const teams = num(3, 1, 20, 1, 'teams');
  const shift = num(8, 1, 16, 0.5, 'shift-hours');
  const days = num(1, 1, 14, 1, 'days');
  const service = num(15, 1, 240, 1, 'service-min');
  const timeLimit = num(3, 1, 60, 1, 'time-limit');
  const depotText = h('span', { 'data-testid': 'depot-text' });
  const depotButton = h('button', { type: 'button', 'data-testid': 'pick-depot' }, t('plan.depot.pick'));
  const runButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'run-plan' }, t('plan.run'));
  const progressBar = h('div');
  const progress = h('div', { class: 'plan-progress', style: { display: 'none' } }, h('div', { class: 'progress' }, progressBar), h('p', { class: 'muted', 'data-testid': 'plan-progress' }));
  const errorText = h('p', { class: 'error', role: 'alert', 'data-testid': 'plan-error' });
  const resultBox = h('div');

  sidebar.append(
    h('section', { class: 'panel' },
      h('h2', null, t('plan.select')),
      h('label', null, t('plan.select.score'), ' ', minScore),
      h('label', null, t('plan.select.zone'), ' ', zones),
      h('label', null, onlyOpen, ' ', t('plan.select.onlyOpen')),
      h('div', { class: 'buttons' }, polyButton, polyClear),
      hint,
      selectedCount,
    ),
    h('section', { class: 'panel' },
      h('h2', null, t('plan.title')),
      h('label', null, t('plan.teams'), ' ', teams),
      h('label', null, t('plan.depot'), ' ', depotText, ' ', depotButton),
      h('label', null, t('plan.shift'), ' ', shift),
      h('label', null, t('plan.days'), ' ', days),
      h('label', null, t('plan.service'), ' ', service),
      h('label', null, t('plan.timeLimit'), ' ', timeLimit),
      runButton,
      progress,
      errorText,
    ),
    resultBox,
  );

  await whenLoaded(map);
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

  const chosen = () => selectTargets(data.targets.features, sel);
  const refreshSelection = () => {
    sel.minScore = Number(minScore.value) || 0;
    sel.zone = zones.value;
    sel.onlyOpen = onlyOpen.checked;
    const list = chosen();
    const below = selectTargets(data.targets.features, { ...sel, minScore: 0 }).length - list.length;
    selectedCount.textContent = t('plan.selected', { n: list.length }) + (below > 0 ? ` — ${t('plan.belowScore', { n: below, score: sel.minScore, threshold })}` : '');
    layers.setTargets({ type: 'FeatureCollection', features: list });
  };
  const showDepot = () => {
    depotText.textContent = depotLabel(context, depot) ?? t('plan.depot.none');
  };
  for (const el of [minScore, zones, onlyOpen]) el.addEventListener('change', refreshSelection);
  minScore.addEventListener('input', refreshSelection);
  refreshSelection();
  showDepot();

  polyButton.addEventListener('click', () => {
    stopDrawing?.();
    hint.textContent = t('plan.select.polygonHint');
    stopDrawing = drawPolygon(map, (ring, closed) => {
      routes.setSelectionPolygon(ring, closed);
      if (closed) {
        stopDrawing = null;
        hint.textContent = '';
        sel.polygon = [...ring];
        polyClear.style.display = '';
        refreshSelection();
      }
    });
  });
  polyClear.addEventListener('click', () => {
    sel.polygon = null;
    routes.setSelectionPolygon(null, false);
    polyClear.style.display = 'none';
    refreshSelection();
  });
  depotButton.addEventListener('click', () => {
    stopDrawing?.();
    hint.textContent = t('plan.depot.hint');
    map.getCanvas().style.cursor = 'crosshair';
    map.once('click', (e: MapMouseEvent) => {
      depot = [e.lngLat.lng, e.lngLat.lat];
      map.getCanvas().style.cursor = '';
      hint.textContent = '';
      routes.setDepot(depot);
      showDepot();
      void api('/api/planning/depot', { method: 'PUT', body: { depot } satisfies DepotBody }).catch(() => undefined);
    });
  });

  const teamLabel = (id: string) => t('plan.team', { n: teamOrder.indexOf(id) + 1 });

  runButton.addEventListener('click', async () => {
    errorText.textContent = '';
    const list = chosen();
    if (list.length === 0) return void (errorText.textContent = t('plan.noTargets'));
    if (!depot) return void (errorText.textContent = t('plan.noDepot'));
    const n = Math.max(1, Math.min(20, Math.round(Number(teams.value) || 1)));
    const planned = planTeams(n, { start: depot!, shiftS: Math.round((Number(shift.value) || 8) * 3600), name: (k) => t('plan.team', { n: k }) });
    teamOrder = planned.map((x) => x.id);
    const targets = targetsFromGeoJson({ type: 'FeatureCollection', features: list }, { baseServiceS: Math.round((Number(service.value) || 15) * 60), serviceSPerM2: 0 });
    runButton.disabled = true;
    progress.style.display = '';
    const text = progress.querySelector('p')!;
    try {
      plan = await runPlanner(
        { problem: { targets, teams: planned, date: today(), days: Math.max(1, Math.min(14, Math.round(Number(days.value) || 1))) }, roads: context.roads, timeLimitMs: Math.round((Number(timeLimit.value) || 3) * 1000), seed: 1 },
        (stage, fraction) => {
          const weights: Record<string, [number, number]> = { network: [0, 0.05], matrix: [0.05, 0.25], optimise: [0.3, 0.65], geometry: [0.95, 0.05] };
          const [a, w] = weights[stage] ?? [0, 1];
          const pct = Math.round((a + w * fraction) * 100);
          progressBar.style.width = `${pct}%`;
          text.textContent = t('plan.running', { stage: t(`plan.stage.${stage}`), pct });
        },
        abort.signal,
      );
      progress.style.display = 'none';
      routes.setPlan(plan, teamOrder);
      const current = plan;
      resultBox.replaceChildren(
        planResult(current, {
          teamOrder,
          teamLabel,
          onSheet: async (teamId) => {
            // Every working day of the team that has stops, each with its own picture.
            const days = teamDays(current, teamId);
            const pictures: string[] = [];
            for (const route of days) pictures.push(await routePicture(map, route, teamColour(teamOrder.indexOf(teamId))));
            document.body.append(routeSheet(current, days, teamLabel(teamId), pictures, () => undefined));
          },
          onSave: async () => {
            const planId = `plan-${current.date ?? today()}-${Date.now().toString(36)}`;
            // One row per team, its days in order (as 'tiandi plans import' records a plan.json).
            await api('/api/plans', { body: planRecord(current, planId, teamOrder) satisfies PlanBody });
            return planId;
          },
        }),
      );
      mapEl.dataset.planned = String(current.objective.served);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') errorText.textContent = t('plan.failed', { message: (e as Error).message });
    } finally {
      runButton.disabled = false;
    }
  });
  mapEl.dataset.loaded = String(data.targets.features.length);

  return () => {
    abort.abort();
    stopDrawing?.();
    map.remove();
  };
};
export default plannerView;
