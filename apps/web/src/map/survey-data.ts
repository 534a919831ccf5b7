import { api } from '../api/api';
import type { RasterInfo } from './survey-layers';

export type Feature = { id?: string | number; type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };
export type FC = { type: 'FeatureCollection'; features: Feature[] };

/** Everything the operator and planner maps show, fetched in parallel. Parts that fail come back empty. */
export async function loadSurvey(signal?: AbortSignal): Promise<{ zones: FC; footprints: FC; gaps: FC; targets: FC; rasters: RasterInfo[] }> {
  const empty: FC = { type: 'FeatureCollection', features: [] };
  const safe = <T>(p: Promise<T>, fallback: T) => p.catch(() => fallback);
  const [zones, footprints, gaps, targets, rasters] = await Promise.all([
    safe(api<FC>('/api/zones', { signal }), empty),
    safe(api<FC>('/api/images', { signal }), empty),
    safe(api<FC>('/api/zones/gaps', { signal }), empty),
    safe(api<FC>('/api/targets', { signal }), empty),
    safe(
      api<{ rasters: RasterInfo[] }>('/api/rasters', { signal }).then((r) => r.rasters),
      [] as RasterInfo[],
    ),
  ]);
  return { zones, footprints, gaps, targets, rasters };
}
