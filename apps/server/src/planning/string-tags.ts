/** OSM tags as strings (a GeoJSON `layer: 1` becomes "1"); nested values are dropped. */
export function stringTags(tags: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) if (v !== undefined && v !== null && typeof v !== 'object') out[k] = String(v);
  return out;
}
