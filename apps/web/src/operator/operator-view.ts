import type { MapGeoJSONFeature, Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import { api } from '../api/api';
import { t } from '../i18n/index';
import { createMap, whenLoaded } from '../map/create-map';
import { fitToSurvey } from '../map/fit';
import { labelPoint } from '../map/geometry';
import { layerControl } from '../map/layer-control';
import { loadSurvey, type Feature, type FC } from '../map/survey-data';
import { addSurveyLayers, TARGET_LAYERS, type SurveyLayers } from '../map/survey-layers';
import type { View } from '../router';
import { h } from '../ui/h';
import { jobsPanel } from './jobs-panel';
import { addQualityLayer } from './quality-layer';
import { targetDetail } from './target-detail';
import { targetList } from './target-list';
import { showScanned, uploadPanel } from './upload-panel';
import '../triage/triage-messages';

type SurveyData = Awaited<ReturnType<typeof loadSurvey>>;

/** The page: the sidebar beside the map. */
function operatorLayout(root: HTMLElement) {
  const mapEl = h('div', { class: 'map', 'data-testid': 'map' });
  const mapBox = h('div', { class: 'mapbox' }, mapEl);
  const sidebar = h('aside', { class: 'sidebar', 'data-testid': 'operator-sidebar' });
  root.append(h('div', { class: 'layout' }, sidebar, mapBox));
  return { mapEl, mapBox, sidebar };
}

/** The targets with one replaced by its changed version (same id). */
function withTarget(targets: FC, f: Feature): FC {
  return { ...targets, features: targets.features.map((x) => (String(x.properties.id) === String(f.properties.id) ? f : x)) };
}

/** The address that reopens a target (or the plain view). */
function operatorAddress(id: string | null): string {
  return id ? `#/operator?target=${encodeURIComponent(id)}` : '#/operator';
}

/** Shows a just-scanned image: frames the newest footprint. */
function fitToNewest(map: MapLibreMap, d: SurveyData | null): void {
  const newest = d?.footprints.features.at(-1);
  if (d && newest) fitToSurvey(map, { footprints: { type: 'FeatureCollection', features: [newest] } }, true);
}

/** The survey and quality layers (the style has loaded), and the layer control with a "fit to data" button. */
function addOperatorLayers(map: MapLibreMap, mapBox: HTMLElement, lastData: () => SurveyData | null) {
  const layers = addSurveyLayers(map);
  const quality = addQualityLayer(map);
  const fit = () => {
    const data = lastData();
    if (data) fitToSurvey(map, data, true);
  };
  mapBox.append(layerControl(layers, [quality.control(), h('button', { type: 'button', 'data-testid': 'fit-data', onclick: fit }, t('map.fit'))]));
  return { layers, quality };
}

/** The season's review threshold, marked in the list; the list works without it. */
function loadReviewThreshold(list: ReturnType<typeof targetList>): void {
  void api<{ reviewThreshold?: number | null }>('/api/planning/context')
    .then((c) => list.setReviewThreshold(c.reviewThreshold ?? null))
    .catch(() => undefined);
}

/** #/operator — upload orthophotos, watch the scans, review the targets on the map and in the list. */
const operatorView: View = async (root) => {
  const health = await api<{ basemapUrl: string | null }>('/api/health').catch(() => ({ basemapUrl: null }));
  const { mapEl, mapBox, sidebar } = operatorLayout(root);
  const map = createMap(mapEl, { basemapUrl: health.basemapUrl });
  let layers: SurveyLayers | null = null;
  let quality: ReturnType<typeof addQualityLayer> | null = null;
  let targets: FC = { type: 'FeatureCollection', features: [] };
  let lastData: SurveyData | null = null;
  const abort = new AbortController();

  const select = (id: string | null) => {
    list.select(id);
    layers?.select(id);
    void detail.show(id);
    if (id) flyToTarget(map, targets, id);
    // Kept in the address (without a hashchange), so a language switch or reload reopens the same target.
    history.replaceState(history.state, '', operatorAddress(id));
  };
  const list = targetList({ onSelect: select, onHover: (id) => layers?.highlight(id) });
  const detail = targetDetail({
    onChanged: (f: Feature) => {
      targets = withTarget(targets, f);
      list.setTargets(targets);
      layers?.setTargets(targets);
    },
  });

  let firstLoad = true;
  const refresh = async () => {
    const data = await loadSurvey(abort.signal);
    if (abort.signal.aborted) return null;
    targets = data.targets;
    list.setTargets(targets);
    await whenLoaded(map);
    if (!layers) return null;
    drawSurvey(layers, data);
    void quality?.load(data.rasters, abort.signal);
    if (firstLoad) {
      firstLoad = false;
      fitToSurvey(map, data);
    }
    mapEl.dataset.loaded = String(targets.features.length);
    lastData = data;
    return data;
  };

  // A finished scan: reload, and show its image (the newest footprint).
  const jobs = jobsPanel({
    onDone: (job) => {
      showScanned(sidebar, job.id);
      void refresh().then((d) => fitToNewest(map, d));
    },
  });
  // An accepted upload: its orthophoto can be drawn at once, while it waits for its scan.
  sidebar.append(
    h('a', { href: '#/triage', class: 'triage-link', 'data-testid': 'open-triage' }, t('triage.open')),
    uploadPanel({ onQueued: () => void refresh() }),
    jobs.el,
    detail.el,
    list.el,
  );

  await whenLoaded(map);
  ({ layers, quality } = addOperatorLayers(map, mapBox, () => lastData));
  wireTargetLayers(map, layers, list, select);
  await refresh();
  loadReviewThreshold(list);
  const reopen = targetInAddress(targets);
  if (reopen) select(reopen);
  return () => {
    abort.abort();
    jobs.close();
    map.remove();
  };
};
export default operatorView;

function flyToTarget(map: MapLibreMap, targets: FC, id: string): void {
  const f = targets.features.find((x) => String(x.properties.id) === id);
  if (f) map.flyTo({ center: labelPoint(f.geometry), zoom: Math.max(map.getZoom(), 18), duration: 800 });
}

/** The target named in the address (`#/operator?target=…`) when it is one of these, to reopen after a reload or language switch. */
function targetInAddress(targets: FC): string | null {
  const id = new URLSearchParams(location.hash.split('?')[1] ?? '').get('target');
  return id && targets.features.some((f) => String(f.properties.id) === id) ? id : null;
}

/** The survey's layers: zones, footprints, gaps, targets and rasters. */
function drawSurvey(layers: SurveyLayers, data: Awaited<ReturnType<typeof loadSurvey>>): void {
  layers.setZones(data.zones);
  layers.setFootprints(data.footprints);
  layers.setGaps(data.gaps);
  layers.setTargets(data.targets);
  layers.setRasters(data.rasters);
}

/** Hovering a target on the map highlights it there and in the list; a click selects it. */
function wireTargetLayers(map: MapLibreMap, layers: SurveyLayers, list: ReturnType<typeof targetList>, select: (id: string) => void): void {
  for (const layer of TARGET_LAYERS) {
    map.on('mousemove', layer, (e: MapMouseEvent & { features?: MapGeoJSONFeature[] }) => {
      const id = e.features?.[0]?.properties?.id;
      map.getCanvas().style.cursor = 'pointer';
      layers.highlight(id ?? null);
      list.highlight(id ?? null);
    });
    map.on('mouseleave', layer, () => {
      map.getCanvas().style.cursor = '';
      layers.highlight(null);
      list.highlight(null);
    });
    map.on('click', layer, (e: MapMouseEvent & { features?: MapGeoJSONFeature[] }) => {
      const id = e.features?.[0]?.properties?.id;
      if (id) select(String(id));
    });
  }
}
