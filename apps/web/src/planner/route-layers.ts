import type { Plan } from '@tiandi/planner';
import type { GeoJSONSource, Map as MapLibreMap, Marker } from 'maplibre-gl';
import { maplibregl } from '../map/create-map';
import { TEAM_COLOURS } from '../map/status-colours';

/** Colour of a team's route by its index in the plan's team order. */
export function teamColour(index: number): string {
  return TEAM_COLOURS[index % TEAM_COLOURS.length];
}

type Route = Plan['routes'][number];

/** The empty sources and the layers for roads (under the survey's vectors), the drawn selection and the routes. */
function addRouteSources(map: MapLibreMap): void {
  map.addSource('routes', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addSource('roads', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addSource('selection', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer(
    {
      id: 'roads-line',
      type: 'line',
      source: 'roads',
      paint: { 'line-color': '#8d6e63', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.6, 16, 2], 'line-opacity': 0.8 },
    },
    'footprints-line',
  );
  map.addLayer({
    id: 'selection-fill',
    type: 'fill',
    source: 'selection',
    filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': '#1565c0', 'fill-opacity': 0.08 },
  });
  map.addLayer({ id: 'selection-line', type: 'line', source: 'selection', paint: { 'line-color': '#1565c0', 'line-width': 2, 'line-dasharray': [2, 1] } });
  map.addLayer({
    id: 'routes-casing',
    type: 'line',
    source: 'routes',
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': '#ffffff', 'line-width': 6 },
  });
  map.addLayer({
    id: 'routes-line',
    type: 'line',
    source: 'routes',
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: { 'line-color': ['get', 'colour'], 'line-width': 3.5 },
  });
}

/** The selection being drawn: nothing, a line while open (a lone point as a zero-length line), a polygon once closed. */
function selectionFeatures(ring: [number, number][] | null, closed: boolean) {
  if (!ring || ring.length === 0) return [];
  if (closed && ring.length >= 3) return [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] } }];
  return [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: ring.length === 1 ? [ring[0], ring[0]] : ring } }];
}

/** One line per route with a path, coloured by its team's place in `teamOrder`. */
function routeFeatures(plan: Plan | null, teamOrder: string[]) {
  return (plan?.routes ?? [])
    .filter((r) => r.path.length >= 2)
    .map((r) => ({
      type: 'Feature',
      properties: { team: r.teamId, day: r.day, colour: teamColour(teamOrder.indexOf(r.teamId)) },
      geometry: { type: 'LineString', coordinates: r.path },
    }));
}

/** A numbered stop marker in the team's colour; with several days numbered day·order (2·3: third stop of day 2). */
function stopMarker(r: Route, i: number, colour: string, multiDay: boolean): Marker {
  const s = r.stops[i];
  const el = document.createElement('div');
  el.className = 'stop-marker';
  el.style.background = colour;
  el.textContent = multiDay ? `${r.day + 1}·${i + 1}` : String(i + 1);
  el.title = `${r.teamName ?? r.teamId} ${multiDay ? `D${r.day + 1} ` : ''}#${i + 1} ${s.targetId}`;
  el.dataset.team = r.teamId;
  return new maplibregl.Marker({ element: el }).setLngLat([s.lon, s.lat]);
}

/**
 * Draws a plan on the map: one line per team route in its colour, numbered stop markers (HTML, so
 * no glyph server is needed offline), and the depot. `teamOrder` fixes each team's colour.
 */
export function routeLayers(map: MapLibreMap) {
  addRouteSources(map);
  let markers: Marker[] = [];
  let depotMarker: Marker | null = null;

  return {
    setRoads(fc: unknown) {
      (map.getSource('roads') as GeoJSONSource).setData((fc ?? { type: 'FeatureCollection', features: [] }) as never);
    },
    setSelectionPolygon(ring: [number, number][] | null, closed: boolean) {
      (map.getSource('selection') as GeoJSONSource).setData({ type: 'FeatureCollection', features: selectionFeatures(ring, closed) } as never);
    },
    setDepot(lonLat: [number, number] | null) {
      depotMarker?.remove();
      depotMarker = null;
      if (!lonLat) return;
      const el = document.createElement('div');
      el.className = 'depot-marker';
      el.dataset.testid = 'depot-marker';
      depotMarker = new maplibregl.Marker({ element: el }).setLngLat(lonLat).addTo(map);
    },
    setPlan(plan: Plan | null, teamOrder: string[]) {
      for (const m of markers) m.remove();
      markers = [];
      (map.getSource('routes') as GeoJSONSource).setData({ type: 'FeatureCollection', features: routeFeatures(plan, teamOrder) } as never);
      // With several working days a stop is numbered day·order, as on the route sheet.
      const multiDay = (plan?.routes ?? []).some((r) => r.day > 0 && r.stops.length > 0);
      for (const r of plan?.routes ?? []) {
        const colour = teamColour(teamOrder.indexOf(r.teamId));
        r.stops.forEach((_, i) => markers.push(stopMarker(r, i, colour, multiDay).addTo(map)));
      }
    },
  };
}

export type RouteLayers = ReturnType<typeof routeLayers>;
