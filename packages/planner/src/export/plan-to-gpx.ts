import { BaseBuilder, buildGPX } from 'gpx-builder';
import type { Plan } from '../plan/plan-types';
import { formatClock } from './format-clock';

const { Point, Route, Track, Segment, Metadata } = BaseBuilder.MODELS;

/**
 * `routes.gpx` (GPX 1.1, WGS 84, for handheld GPS units): a waypoint per stop (name = visit order and
 * target id), a route per team and day through its stops, and a track per team and day following the
 * roads and paths. Written by gpx-builder. With `plan.date`, times are China Standard Time (UTC+8).
 */
export function planToGpx(plan: Plan): string {
  const when = (date: string | undefined, s: number): Date | undefined => (date ? new Date(Date.parse(`${date}T00:00:00+08:00`) + s * 1000) : undefined);
  const wpts: InstanceType<typeof Point>[] = [];
  const routes: InstanceType<typeof Route>[] = [];
  const tracks: InstanceType<typeof Track>[] = [];
  for (const r of plan.routes) {
    const label = `${r.teamName ?? r.teamId} D${r.day + 1}`;
    const pts = r.stops.map((s, i) => {
      const time = when(r.date, s.arrivalS);
      return new Point(s.lat, s.lon, {
        name: `${label} ${i + 1} ${s.info?.village ? `${s.info.village} ` : ''}${s.targetId}`,
        desc: `到达 arrive ${formatClock(s.arrivalS)}, 离开 leave ${formatClock(s.departureS)}, 优先级 priority ${s.priority}${s.info ? `. ${s.info.lookFor}` : ''}`,
        sym: 'Flag, Red',
        ...(time ? { time } : {}),
      });
    });
    wpts.push(...pts);
    routes.push(
      new Route({
        name: label,
        desc: `${r.stops.length} 站 stops, ${(r.distanceM / 1000).toFixed(1)} km, ${formatClock(r.departS)}–${formatClock(r.returnS)}`,
        rtept: pts,
      }),
    );
    tracks.push(new Track([new Segment(r.path.map(([lon, lat]) => new Point(lat, lon)))], { name: `${label} 路线 path` }));
  }
  const b = new BaseBuilder();
  b.setMetadata(new Metadata({ name: '天地协同 踏查路线 Tiandi inspection routes', desc: 'WGS 84', ...(plan.date ? { time: when(plan.date, 0) } : {}) }));
  b.setWayPoints(wpts).setRoutes(routes).setTracks(tracks);
  // gpx-builder writes object keys in insertion order (e.g. <rte><desc/><rtept/><name/>), which the
  // GPX 1.1 schema rejects: put every element's children in the schema's sequence order.
  return buildGPX(schemaOrder('gpx', b.toObject()) as ReturnType<BaseBuilder['toObject']>);
}

const PT = [
  'attributes',
  'ele',
  'time',
  'magvar',
  'geoidheight',
  'name',
  'cmt',
  'desc',
  'src',
  'link',
  'sym',
  'type',
  'fix',
  'sat',
  'hdop',
  'vdop',
  'pdop',
  'ageofdgpsdata',
  'dgpsid',
  'extensions',
];
const SEQUENCE: Record<string, string[]> = {
  gpx: ['attributes', 'metadata', 'wpt', 'rte', 'trk', 'extensions'],
  metadata: ['name', 'desc', 'author', 'copyright', 'link', 'time', 'keywords', 'bounds', 'extensions'],
  wpt: PT,
  rtept: PT,
  trkpt: PT,
  rte: ['name', 'cmt', 'desc', 'src', 'link', 'number', 'type', 'extensions', 'rtept'],
  trk: ['name', 'cmt', 'desc', 'src', 'link', 'number', 'type', 'extensions', 'trkseg'],
  trkseg: ['trkpt', 'extensions'],
};

function schemaOrder(tag: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => schemaOrder(tag, v));
  const seq = SEQUENCE[tag];
  if (!seq || !value || typeof value !== 'object' || value instanceof Date) return value;
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of seq) if (obj[k] !== undefined) out[k] = schemaOrder(k, obj[k]);
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  return out;
}
