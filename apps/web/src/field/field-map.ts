import type { GeoJSONSource, Map as MapLibreMap, Marker } from 'maplibre-gl';
import { createMap, maplibregl, whenLoaded } from '../map/create-map';
import { circlePolygon } from './field-geo';
import type { FieldAssignment, RasterInfo } from '@tiandi/api';

/** Outline colours of targets by status on the field map (high contrast on imagery). */
export const FIELD_STATUS_COLOURS: Record<string, string> = {
  detected: '#ff006e',
  planned: '#ff006e',
  confirmed: '#ff0000',
  eradicated: '#ff8c00',
  eradication_verified: '#00c853',
  inspected_negative: '#00c853',
  dismissed_desk: '#b0bec5',
  dismissed_model: '#cfd8dc',
  needs_revisit: '#b100ff',
};

/** The field map: orthophotos, route, target outlines, numbered stops and the phone's position with its accuracy. */
export interface FieldMap {
  map: MapLibreMap;
  setStopStates(states: Map<number, 'open' | 'queued' | 'done'>, onClick: (seq: number) => void): void;
  setFix(fix: { lon: number; lat: number; accuracyM: number } | null): void;
  flyTo(lonLat: [number, number]): void;
  remove(): void;
}

/** The orthophotos as raster layers, under everything else. */
function addOrthoLayers(map: MapLibreMap, rasters: RasterInfo[]): void {
  for (const r of rasters) {
    if (r.kind !== 'ortho' || !r.tiles || !r.bounds) continue;
    map.addSource(`ortho-${r.id}`, {
      type: 'raster',
      tiles: [absoluteTemplate(r.tiles)],
      tileSize: 256,
      bounds: r.bounds,
      minzoom: r.minzoom ?? 0,
      maxzoom: r.maxzoom ?? 22,
    });
    map.addLayer({ id: `ortho-${r.id}`, type: 'raster', source: `ortho-${r.id}` });
  }
}

/** The team's road route, yellow on a black casing. */
function addRouteLayers(map: MapLibreMap, route: NonNullable<FieldAssignment['route']>): void {
  map.addSource('route', { type: 'geojson', data: { type: 'Feature', geometry: route, properties: {} } });
  map.addLayer({ id: 'route-casing', type: 'line', source: 'route', paint: { 'line-color': '#000', 'line-width': 7 } });
  map.addLayer({ id: 'route', type: 'line', source: 'route', paint: { 'line-color': '#ffd60a', 'line-width': 4 } });
}

/** Target outlines coloured by status ({@link FIELD_STATUS_COLOURS}), with a faint fill and a black casing. */
function addTargetLayers(map: MapLibreMap, targets: FieldAssignment['targets']): void {
  const colour = ['match', ['get', 'status'], ...Object.entries(FIELD_STATUS_COLOURS).flat(), '#ff006e'] as unknown as maplibregl.ExpressionSpecification;
  map.addSource('targets', { type: 'geojson', data: targets });
  map.addLayer({ id: 'targets-fill', type: 'fill', source: 'targets', paint: { 'fill-color': colour, 'fill-opacity': 0.18 } });
  map.addLayer({ id: 'targets-casing', type: 'line', source: 'targets', paint: { 'line-color': '#000', 'line-width': 5 } });
  map.addLayer({ id: 'targets-line', type: 'line', source: 'targets', paint: { 'line-color': colour, 'line-width': 3 } });
}

/** The phone's position: an accuracy circle and a dot, empty until {@link FieldMap.setFix}. */
function addPositionLayers(map: MapLibreMap): void {
  map.addSource('me', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: 'me-accuracy',
    type: 'fill',
    source: 'me',
    filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': '#1c7ed6', 'fill-opacity': 0.18 },
  });
  map.addLayer({
    id: 'me-accuracy-line',
    type: 'line',
    source: 'me',
    filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'line-color': '#1c7ed6', 'line-width': 2 },
  });
  map.addLayer({
    id: 'me-dot',
    type: 'circle',
    source: 'me',
    filter: ['==', ['geometry-type'], 'Point'],
    paint: { 'circle-radius': 9, 'circle-color': '#1c7ed6', 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 },
  });
}

/** Frames all stops at once (when there are two or more). */
function fitStops(map: MapLibreMap, stops: FieldAssignment['stops']): void {
  const pts = stops.map((s) => [s.lon, s.lat] as [number, number]);
  if (pts.length > 1) {
    const lons = pts.map((p) => p[0]),
      lats = pts.map((p) => p[1]);
    map.fitBounds(
      [
        [Math.min(...lons), Math.min(...lats)],
        [Math.max(...lons), Math.max(...lats)],
      ],
      { padding: 48, maxZoom: 17, duration: 0 },
    );
  }
}

/** The position source's data: the accuracy circle (at least 1 m) and the point, or nothing without a fix. */
function fixFeatures(fix: { lon: number; lat: number; accuracyM: number } | null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: fix
      ? [
          { type: 'Feature', geometry: { type: 'Polygon', coordinates: [circlePolygon([fix.lon, fix.lat], Math.max(fix.accuracyM, 1))] }, properties: {} },
          { type: 'Feature', geometry: { type: 'Point', coordinates: [fix.lon, fix.lat] }, properties: {} },
        ]
      : [],
  };
}

/** A numbered stop marker, styled by its state, that reports a tap. */
function stopMarker(map: MapLibreMap, s: FieldAssignment['stops'][number], state: string, onClick: (seq: number) => void): Marker {
  const el = document.createElement('div');
  el.className = `stop-num ${state}`;
  el.textContent = String(s.seq);
  el.addEventListener('click', () => onClick(s.seq));
  return new maplibregl.Marker({ element: el }).setLngLat([s.lon, s.lat]).addTo(map);
}

/** Creates the map in `container` for an assignment. */
export async function createFieldMap(container: HTMLElement, a: FieldAssignment, rasters: RasterInfo[]): Promise<FieldMap> {
  const first = a.stops[0];
  const map = createMap(container, { center: first ? [first.lon, first.lat] : [104, 30], zoom: first ? 15 : 4 });
  await whenLoaded(map);
  addOrthoLayers(map, rasters);
  if (a.route) addRouteLayers(map, a.route);
  addTargetLayers(map, a.targets);
  addPositionLayers(map);
  fitStops(map, a.stops);
  let markers: Marker[] = [];
  return {
    map,
    setStopStates(states, onClick) {
      markers.forEach((m) => m.remove());
      markers = a.stops.map((s) => stopMarker(map, s, states.get(s.seq) ?? 'open', onClick));
    },
    setFix(fix) {
      const src = map.getSource('me') as GeoJSONSource | undefined;
      if (!src) return;
      src.setData(fixFeatures(fix));
    },
    flyTo(lonLat) {
      map.easeTo({ center: lonLat, zoom: Math.max(map.getZoom(), 17), duration: 400 });
    },
    remove() {
      markers.forEach((m) => m.remove());
      map.remove();
    },
  };
}

/** An absolute tile URL template; `new URL()` would percent-encode the {z}/{x}/{y} placeholders. */
export function absoluteTemplate(template: string): string {
  if (/^https?:\/\//.test(template)) return template;
  const base = location.href.replace(/[#?].*$/, '').replace(/[^/]*$/, '');
  return template.startsWith('/') ? `${location.origin}${template}` : `${base}${template}`;
}
