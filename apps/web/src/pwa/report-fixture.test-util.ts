import type { ReportFeature } from './outbox';

/** A field report of "nothing found" at one target, with the given photo hashes: the outbox tests' unit of work. */
export function report(id: string, photos: string[] = []): ReportFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [102.81, 28.01] },
    properties: {
      report_id: id,
      target_id: 'T-1',
      verdict: 'nothing_found',
      what: null,
      accuracy_m: 6,
      observed_at: '2026-04-20T09:30:00+08:00',
      team: 'T1',
      plant_count: null,
      area_m2: null,
      photos,
      notes: null,
    },
  };
}
