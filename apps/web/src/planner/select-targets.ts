import { pointInRing } from '@tiandi/geo/primitives';
import { labelPoint, type LonLat } from '../map/geometry';
import type { Feature } from '../map/survey-data';

/** How the planner chooses targets. */
export interface TargetSelection {
  minScore: number;
  /** Zone id, or '' for all. */
  zone: string;
  /** A polygon drawn on the map (closed or open ring), or null. */
  polygon: LonLat[] | null;
  /** Leave out targets already resolved (negative, eradicated and verified). */
  onlyOpen: boolean;
}

const CLOSED = new Set(['inspected_negative', 'eradication_verified', 'eradicated']);

/** The targets matching a selection: score ≥ minScore, in the zone, inside the polygon, open. */
export function selectTargets(features: Feature[], sel: TargetSelection): Feature[] {
  return features.filter((f) => {
    const p = f.properties;
    if (Number(p.score_max ?? 0) < sel.minScore) return false;
    if (sel.zone && p.zone !== sel.zone) return false;
    if (sel.onlyOpen && CLOSED.has(String(p.status))) return false;
    // A desk (or adapted-model) dismissal is left out unless it was drawn for a ground audit (then a team must go).
    if (sel.onlyOpen && (p.status === 'dismissed_desk' || p.status === 'dismissed_model') && p.ground_audit !== true) return false;
    if (sel.polygon && sel.polygon.length >= 3 && !pointInRing(...labelPoint(f.geometry), sel.polygon)) return false;
    return true;
  });
}
