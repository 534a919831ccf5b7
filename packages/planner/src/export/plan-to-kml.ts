import { toKML } from '@placemarkio/tokml';
import type { Plan } from '../plan/plan-types';
import { planToGeoJson } from './plan-to-geojson';

/** `routes.kml` (for Google Earth, Ovital/奥维 and most GIS): the same features as {@link planToGeoJson}, via @placemarkio/tokml. */
export function planToKml(plan: Plan): string {
  return toKML(planToGeoJson(plan) as never);
}
