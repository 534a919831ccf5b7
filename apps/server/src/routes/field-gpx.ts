import type { FieldAssignment } from './field-assignment';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const c = (x: number) => x.toFixed(7);

/**
 * GPX 1.1 of a team's assignment for handheld GPS units: one waypoint per stop (named by its order
 * and target id) and the route as a track. WGS 84, as GPX requires (not GCJ-02).
 */
export function assignmentGpx(a: FieldAssignment): string {
  const wpts = a.stops.map(
    (s) => `  <wpt lat="${c(s.lat)}" lon="${c(s.lon)}"><name>${esc(`${s.seq}. ${s.targetId ?? ''}`.trim())}</name><sym>Flag, Red</sym></wpt>`,
  );
  const lines: number[][][] = !a.route
    ? []
    : a.route.type === 'LineString'
      ? [a.route.coordinates]
      : a.route.type === 'MultiLineString'
        ? a.route.coordinates
        : [];
  const trk = lines.length
    ? [
        `  <trk><name>${esc(`${a.team} ${a.plan?.planId ?? ''}`.trim())}</name>`,
        ...lines.map((l) => `    <trkseg>${l.map((p) => `<trkpt lat="${c(p[1])}" lon="${c(p[0])}"/>`).join('')}</trkseg>`),
        '  </trk>',
      ]
    : [];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Tiandi 天地协同" xmlns="http://www.topografix.com/GPX/1/1">',
    `  <metadata><name>${esc(`天地协同 ${a.team}`)}</name></metadata>`,
    ...wpts,
    ...trk,
    '</gpx>',
    '',
  ].join('\n');
}
