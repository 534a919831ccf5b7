/** Default travel speeds (km/h) per OSM `highway` class, for a survey vehicle on rural roads, and on foot on paths. */
export const DEFAULT_SPEEDS_KMH: Readonly<Record<string, number>> = Object.freeze({
  motorway: 80,
  motorway_link: 50,
  trunk: 60,
  trunk_link: 40,
  primary: 50,
  primary_link: 35,
  secondary: 40,
  secondary_link: 30,
  tertiary: 30,
  tertiary_link: 25,
  unclassified: 25,
  residential: 20,
  living_street: 10,
  service: 15,
  road: 20,
  track: 12,
  path: 4,
  footway: 4,
  pedestrian: 4,
  bridleway: 4,
  steps: 2,
  cycleway: 10,
});

/** Classes travelled on foot: one-way tags do not apply. */
export const FOOT_CLASSES: ReadonlySet<string> = new Set(['path', 'footway', 'pedestrian', 'bridleway', 'steps']);

/** Speed used for a `highway` value not in the table (km/h). */
export const FALLBACK_SPEED_KMH = 20;

/**
 * Direction of travel from OSM tags: 1 = along the line only, -1 = against it only, 0 = both ways.
 * `oneway=yes|true|1` → 1, `oneway=-1|reverse` → -1, `oneway=no` → 0; motorways and
 * `junction=roundabout` are one-way unless tagged otherwise; foot classes are always two-way.
 */
export function onewayOf(props: Record<string, unknown>): -1 | 0 | 1 {
  const hw = String(props.highway ?? '');
  if (FOOT_CLASSES.has(hw)) return 0;
  const v = props.oneway;
  if (v === true || v === 1 || v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === -1 || v === '-1' || v === 'reverse') return -1;
  if (v === false || v === 0 || v === 'no' || v === 'false' || v === '0') return 0;
  if (hw === 'motorway' || props.junction === 'roundabout' || props.junction === 'circular') return 1;
  return 0;
}

/** `highway` values that are not (yet, or any longer) travelled: left out of the network. */
export const UNUSABLE_CLASSES: ReadonlySet<string> = new Set([
  'construction',
  'proposed',
  'abandoned',
  'disused',
  'razed',
  'raceway',
  'platform',
  'bus_guideway',
  'escape',
  'elevator',
  'no',
  'planned',
  'services',
  'rest_area',
  'bus_stop', // areas drawn as closed ways, not roads
]);
const CLOSED = new Set(['private', 'no']);
const OPEN = new Set(['yes', 'designated', 'permissive', 'destination']);

const yes = (v: unknown): boolean => v !== undefined && v !== null && v !== false && v !== 'no' && v !== '0' && v !== 'false';

/**
 * Whether a way is part of the survey network: not a closed class (construction, proposed,
 * abandoned, raceway, …) and not private or `access=no` unless vehicles or people on foot are let in.
 */
export function isUsableWay(tags: Record<string, unknown>): boolean {
  const hw = String(tags.highway ?? 'road'); // a GeoJSON line without tags is a road of unknown class
  if (UNUSABLE_CLASSES.has(hw)) return false;
  if (CLOSED.has(String(tags.access ?? ''))) {
    const letIn = ['vehicle', 'motor_vehicle', 'motorcar', 'foot'].some((k) => OPEN.has(String(tags[k] ?? '')));
    if (!letIn) return false;
  }
  return true;
}

/** Classes a team never leaves or joins on foot. */
const NO_FOOT_ACCESS = new Set(['motorway', 'motorway_link']);

/** Whether a place may join the network on this way: not in a tunnel, on a bridge, on a motorway, nor where walking is forbidden. */
export function isAccessPointClass(tags: Record<string, unknown>): boolean {
  if (NO_FOOT_ACCESS.has(String(tags.highway ?? ''))) return false;
  if (yes(tags.tunnel) || yes(tags.bridge)) return false;
  if (tags.foot === 'no' || tags.foot === 'private') return false;
  return true;
}

/** Vertical layer: the `layer` tag, else 1 on bridges, −1 in tunnels, 0 on the ground. */
export function layerOf(tags: Record<string, unknown>): number {
  const l = Number(tags.layer);
  if (Number.isFinite(l) && tags.layer !== undefined && tags.layer !== '') return l;
  return yes(tags.bridge) ? 1 : yes(tags.tunnel) ? -1 : 0;
}
