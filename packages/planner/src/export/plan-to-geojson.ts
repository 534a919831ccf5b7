import type { LonLat } from '@tiandi/geo';
import type { Plan } from '../plan/plan-types';
import { formatClock } from './format-clock';

type Feature = {
  type: 'Feature';
  properties: Record<string, string | number | null>;
  geometry: { type: 'LineString'; coordinates: LonLat[] } | { type: 'Point'; coordinates: LonLat };
};

/** Distinct colours for teams (hex), reused for GeoJSON `stroke` and KML styling. */
export const TEAM_COLOURS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324', '#800000', '#000075'];

/**
 * `routes.geojson`: one LineString per team and day following the network (`kind: "route"`), a Point
 * per stop (`kind: "stop"`, with visit order, times and the Gaode link), one per unassigned target
 * (`kind: "unassigned"`, with the reason) and the depots (`kind: "depot"`). WGS 84 (RFC 7946).
 */
export function planToGeoJson(plan: Plan): { type: 'FeatureCollection'; features: Feature[] } {
  const features: Feature[] = [];
  const teamIds = [...new Set(plan.routes.map((r) => r.teamId))];
  const depots = new Map<string, LonLat>();
  for (const r of plan.routes) {
    const colour = TEAM_COLOURS[teamIds.indexOf(r.teamId) % TEAM_COLOURS.length];
    const label = `${r.teamName ?? r.teamId} D${r.day + 1}`;
    depots.set(r.start.join(','), r.start);
    depots.set(r.end.join(','), r.end);
    features.push({
      type: 'Feature',
      properties: {
        kind: 'route',
        name: label,
        team: r.teamId,
        day: r.day,
        date: r.date ?? null,
        stops: r.stops.length,
        depart: formatClock(r.departS),
        return: formatClock(r.returnS),
        duration_s: r.durationS,
        distance_m: r.distanceM,
        stroke: colour,
      },
      geometry: { type: 'LineString', coordinates: r.path },
    });
    r.stops.forEach((s, i) =>
      features.push({
        type: 'Feature',
        properties: {
          kind: 'stop',
          name: `${i + 1}. ${s.info?.village ? `${s.info.village} ` : ''}${s.targetId}`,
          target_id: s.targetId,
          team: r.teamId,
          day: r.day,
          seq: i + 1,
          arrival: formatClock(s.arrivalS),
          start: formatClock(s.startS),
          departure: formatClock(s.departureS),
          priority: s.priority,
          walk_m: s.walkM,
          village: s.info?.village ?? null,
          area_m2: s.info?.areaM2 ?? null,
          score: s.info?.score ?? null,
          model: s.info?.model ?? null,
          look_for: s.info?.lookFor ?? null,
          description: `${formatClock(s.arrivalS)}–${formatClock(s.departureS)} ${s.info?.lookFor ?? ''}`.trim(),
          amap_uri_gcj02: s.amapUriGcj02,
          'marker-color': colour,
        },
        geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      }),
    );
  }
  for (const u of plan.unassigned)
    features.push({
      type: 'Feature',
      properties: { kind: 'unassigned', name: u.targetId, target_id: u.targetId, priority: u.priority, reason: u.reason, message: u.message },
      geometry: { type: 'Point', coordinates: [u.lon, u.lat] },
    });
  for (const d of depots.values())
    features.push({ type: 'Feature', properties: { kind: 'depot', name: '驻地 depot' }, geometry: { type: 'Point', coordinates: d } });
  return { type: 'FeatureCollection', features };
}
