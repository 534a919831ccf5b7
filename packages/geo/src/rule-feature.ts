import type { Feature, Polygonal } from './geojson';
import type { Target } from './target';

/**
 * A target a certification rule lists as failing: who it is, its state and score, then what the rule adds
 * (`extra`), then why it fails. One shape for every rule, so the map and the certificate read them alike.
 */
export const ruleFeature = (t: Target, why: string, extra: Record<string, unknown>): Feature<Polygonal, Record<string, unknown>> => ({
  type: 'Feature',
  id: t.id,
  geometry: t.geometry,
  properties: { target_id: t.id, status: t.status, score_max: t.scoreMax, origin: t.origin, ...extra, why },
});
