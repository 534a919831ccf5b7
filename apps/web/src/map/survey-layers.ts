import type { RasterInfo } from '@tiandi/api';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { labelPoint } from './geometry';
import { statusColourExpression } from './status-colours';

/** A raster the server renders as XYZ tiles (GET /api/rasters; the API contract's). */
export type { RasterInfo };

type FC = {
  type: 'FeatureCollection';
  features: { id?: string | number; type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
};
const EMPTY: FC = { type: 'FeatureCollection', features: [] };

/** The vector layers, bottom to top; rasters are inserted below the first. */
const FIRST_VECTOR_LAYER = 'footprints-line';

/** Targets as points at their label position (the score-sized circles' source). */
function targetPoints(fc: FC): FC {
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({
      type: 'Feature',
      id: f.id,
      geometry: { type: 'Point', coordinates: labelPoint(f.geometry) },
      properties: f.properties,
    })),
  };
}

/** The raster layers (orthophotos, heatmaps) and their visibility and opacity per kind, kept for rasters added later. */
function rasterControls(map: MapLibreMap) {
  const rasterLayers: { id: string; kind: 'ortho' | 'heatmap' }[] = [];
  const state = { ortho: { visible: true, opacity: 1 }, heatmap: { visible: true, opacity: 0.7 } };
  return {
    /** Adds rasters not yet on the map (orthophotos below heatmaps, both below the vectors). */
    setRasters(list: RasterInfo[]) {
      for (const r of list) {
        if (!r.tiles || map.getSource(`raster-${r.id}`)) continue;
        map.addSource(`raster-${r.id}`, {
          type: 'raster',
          tiles: [location.origin + r.tiles],
          tileSize: 256,
          bounds: r.bounds,
          minzoom: r.minzoom ?? 0,
          maxzoom: r.maxzoom ?? 22,
        });
        const before = r.kind === 'ortho' ? (rasterLayers.find((l) => l.kind === 'heatmap')?.id ?? FIRST_VECTOR_LAYER) : FIRST_VECTOR_LAYER;
        const id = `raster-${r.id}`;
        map.addLayer(
          {
            id,
            type: 'raster',
            source: id,
            paint: { 'raster-opacity': state[r.kind].opacity, 'raster-fade-duration': 0 },
            layout: { visibility: state[r.kind].visible ? 'visible' : 'none' },
          },
          before,
        );
        rasterLayers.push({ id, kind: r.kind });
      }
    },
    setRasterVisible(kind: 'ortho' | 'heatmap', visible: boolean) {
      state[kind].visible = visible;
      for (const l of rasterLayers) if (l.kind === kind) map.setLayoutProperty(l.id, 'visibility', visible ? 'visible' : 'none');
    },
    setRasterOpacity(kind: 'ortho' | 'heatmap', opacity: number) {
      state[kind].opacity = opacity;
      for (const l of rasterLayers) if (l.kind === kind) map.setPaintProperty(l.id, 'raster-opacity', opacity);
    },
    rasterState: state,
  };
}

/** The hovered and the selected target, drawn through feature state on both target sources. */
function targetHighlights(map: MapLibreMap) {
  let hovered: string | null = null;
  let selected: string | null = null;
  const setState = (id: string | null, key: 'hover' | 'selected', value: boolean) => {
    if (id === null) return;
    for (const source of ['targets', 'target-points']) map.setFeatureState({ source, id }, { [key]: value });
  };
  return {
    /** New target data drops feature state: nothing is hovered, and the selection is drawn again. */
    targetsReplaced() {
      hovered = null;
      if (selected) setState(selected, 'selected', true);
    },
    highlight(id: string | null) {
      if (hovered === id) return;
      setState(hovered, 'hover', false);
      hovered = id;
      setState(id, 'hover', true);
    },
    select(id: string | null) {
      setState(selected, 'selected', false);
      selected = id;
      setState(id, 'selected', true);
    },
  };
}

/**
 * Adds the survey's layers to a map — orthophoto and heatmap rasters, image footprints, zones,
 * coverage gaps, targets (coloured by status, circles sized by score) — and returns setters.
 * Call after the style has loaded.
 */
export function addSurveyLayers(map: MapLibreMap) {
  addVectorLayers(map);
  const targets = targetHighlights(map);
  const setData = (source: string, fc: FC) => (map.getSource(source) as GeoJSONSource).setData(fc as never);
  return {
    setFootprints(fc: FC) {
      setData('footprints', fc);
    },
    setZones(fc: FC) {
      setData('zones', fc);
    },
    setGaps(fc: FC) {
      setData('gaps', fc);
    },
    setTargets(fc: FC) {
      setData('targets', fc);
      setData('target-points', targetPoints(fc));
      targets.targetsReplaced();
    },
    ...rasterControls(map),
    setVectorVisible(group: 'targets' | 'gaps' | 'zones' | 'footprints', visible: boolean) {
      const ids = {
        targets: ['targets-fill', 'targets-line', 'targets-circle'],
        gaps: ['gaps-fill', 'gaps-line'],
        zones: ['zones-line'],
        footprints: ['footprints-line'],
      }[group];
      for (const id of ids) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    },
    highlight: targets.highlight,
    select: targets.select,
  };
}

export type SurveyLayers = ReturnType<typeof addSurveyLayers>;

/** The vector sources and their layers: footprints, zones, gaps, and targets as outlines and as score-sized circles. */
function addVectorLayers(map: MapLibreMap): void {
  const src = (id: string, promoteId?: string) => map.addSource(id, { type: 'geojson', data: EMPTY as never, ...(promoteId ? { promoteId } : {}) });
  src('footprints');
  src('zones');
  src('gaps');
  src('targets', 'id');
  src('target-points', 'id');
  map.addLayer({ id: 'footprints-line', type: 'line', source: 'footprints', paint: { 'line-color': '#546e7a', 'line-width': 1, 'line-dasharray': [2, 2] } });
  map.addLayer({
    id: 'zones-line',
    type: 'line',
    source: 'zones',
    paint: { 'line-color': '#1b5e20', 'line-width': ['match', ['get', 'level'], 'village', 1.5, 2.5] },
  });
  map.addLayer({ id: 'gaps-fill', type: 'fill', source: 'gaps', paint: { 'fill-color': '#ff1744', 'fill-opacity': 0.18 } });
  map.addLayer({ id: 'gaps-line', type: 'line', source: 'gaps', paint: { 'line-color': '#ff1744', 'line-width': 1.2, 'line-dasharray': [1, 1] } });
  map.addLayer({
    id: 'targets-fill',
    type: 'fill',
    source: 'targets',
    minzoom: 15,
    paint: { 'fill-color': statusColourExpression() as never, 'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.55, 0.25] },
  });
  map.addLayer({
    id: 'targets-line',
    type: 'line',
    source: 'targets',
    minzoom: 15,
    paint: {
      'line-color': statusColourExpression() as never,
      'line-width': ['case', ['boolean', ['feature-state', 'selected'], false], 4, ['boolean', ['feature-state', 'hover'], false], 3, 1.5],
    },
  });
  map.addLayer({
    id: 'targets-circle',
    type: 'circle',
    source: 'target-points',
    paint: {
      'circle-color': statusColourExpression() as never,
      'circle-radius': ['+', ['interpolate', ['linear'], ['get', 'score_max'], 0.3, 4, 1, 12], ['case', ['boolean', ['feature-state', 'hover'], false], 4, 0]],
      'circle-opacity': ['interpolate', ['linear'], ['zoom'], 14, 0.9, 17, 0.35],
      'circle-stroke-color': ['case', ['boolean', ['feature-state', 'selected'], false], '#000000', '#ffffff'],
      'circle-stroke-width': ['case', ['boolean', ['feature-state', 'selected'], false], 3, ['boolean', ['feature-state', 'hover'], false], 2.5, 1],
    },
  });
}

/** The ids of target layers that respond to the mouse. */
export const TARGET_LAYERS = ['targets-circle', 'targets-fill'];
