import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';

/**
 * Lets the user draw a polygon by clicking its corners; a double-click (or clicking the first
 * corner) closes it. Calls `onChange(ring, closed)` on every step. Returns `stop()`.
 */
export function drawPolygon(map: MapLibreMap, onChange: (ring: [number, number][], closed: boolean) => void): () => void {
  const ring: [number, number][] = [];
  map.doubleClickZoom.disable();
  map.getCanvas().style.cursor = 'crosshair';
  const finish = () => {
    stop();
    onChange(ring, ring.length >= 3);
  };
  const click = (e: MapMouseEvent) => {
    const p: [number, number] = [e.lngLat.lng, e.lngLat.lat];
    if (ring.length >= 3) {
      const first = map.project(ring[0]);
      if (Math.hypot(first.x - e.point.x, first.y - e.point.y) < 8) return finish();
    }
    ring.push(p);
    onChange(ring, false);
  };
  const dbl = (e: MapMouseEvent) => {
    e.preventDefault();
    // The double-click's two clicks added the same corner twice; drop the duplicate.
    if (ring.length >= 2) {
      const [a, b] = ring.slice(-2);
      if (Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9) ring.pop();
    }
    finish();
  };
  const stop = () => {
    map.off('click', click);
    map.off('dblclick', dbl);
    map.getCanvas().style.cursor = '';
    setTimeout(() => map.doubleClickZoom.enable(), 0);
  };
  map.on('click', click);
  map.on('dblclick', dbl);
  return stop;
}
