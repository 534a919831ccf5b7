/** Default travel speeds (km/h) per OSM `highway` class, for a survey vehicle on rural roads, and on foot on paths. */
export const DEFAULT_SPEEDS_KMH: Readonly<Record<string, number>> = Object.freeze({
  motorway: 80, motorway_link: 50, trunk: 60, trunk_link: 40, primary: 50, primary_link: 35,
  secondary: 40, secondary_link: 30, tertiary: 30, tertiary_link: 25, unclassified: 25, residential: 20,
  living_street: 10, service: 15, road: 20, track: 12,
  path: 4, footway: 4, pedestrian: 4, bridleway: 4, steps: 2, cycleway: 10,
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
  if (hw === 'motorway' || props.junction === 'roundabout') return 1;
  return 0;
}
