import * as maplibregl from 'maplibre-gl';
import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

maplibregl.setWorkerUrl(workerUrl);

/** Options of {@link createMap}. */
export interface CreateMapOptions {
  /** Initial view; defaults to the whole world until data arrives. */
  center?: [number, number];
  zoom?: number;
  /** Optional online basemap: an XYZ raster URL with {z}/{x}/{y}, or a MapLibre style JSON URL. */
  basemapUrl?: string | null;
  /** Keeps the drawing buffer so the canvas can be read back (printing, tests' pixel checks). */
  preserveDrawingBuffer?: boolean;
}

/**
 * The offline base style: a plain background and, if configured, one raster basemap. No glyphs or
 * sprites are needed (labels of stops are HTML markers), so the map works with no network.
 */
export function baseStyle(basemapUrl?: string | null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#e8ece9' } }],
  };
  if (basemapUrl && basemapUrl.includes('{z}')) {
    style.sources.basemap = { type: 'raster', tiles: [basemapUrl], tileSize: 256, maxzoom: 19 };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
  }
  return style;
}

/** Creates the MapLibre map used by every view, inside `container`. */
export function createMap(container: HTMLElement, opts: CreateMapOptions = {}): MapLibreMap {
  const style = opts.basemapUrl && !opts.basemapUrl.includes('{z}') ? opts.basemapUrl : baseStyle(opts.basemapUrl);
  const map = new maplibregl.Map({
    container,
    style,
    center: opts.center ?? [104, 30],
    zoom: opts.zoom ?? 3,
    attributionControl: false,
    canvasContextAttributes: { preserveDrawingBuffer: opts.preserveDrawingBuffer ?? true },
  });
  map.once('load', () => loadedMaps.add(map));
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  return map;
}

const loadedMaps = new WeakSet<MapLibreMap>();

/** Resolves once the map has fired 'load' (immediately if it already has), so layers can be added. */
export function whenLoaded(map: MapLibreMap): Promise<void> {
  return loadedMaps.has(map) ? Promise.resolve() : new Promise((resolve) => map.once('load', () => resolve()));
}

export { maplibregl };
