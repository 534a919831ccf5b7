import { boxPolygon } from './box-polygon';
import type { Polygon } from './geojson';
import type { Candidate, Target } from './target';
import type { GroundReport } from './ground-report';

/** A lon/lat rectangle polygon: {@link boxPolygon}, under the short name the tests use. */
export const rect = boxPolygon;

export const cand = (id: string, g: Polygon, scoreMax = 0.8): Candidate => ({
  id,
  scanId: id.split('/')[0],
  imageId: 'img',
  geometry: g,
  scoreMax,
  scoreMean: scoreMax / 2,
  areaM2: 0,
  model: 'm',
  modelVersion: '1',
});

export const target = (id: string, over: Partial<Target> = {}): Target => ({
  id,
  status: 'detected',
  origin: 'scan',
  missedByScan: false,
  geometry: rect(100, 25, 100.0002, 25.0002),
  scoreMax: 0.9,
  areaM2: 400,
  sources: [id],
  review: null,
  eradicatedAt: null,
  reportIds: [],
  ...over,
});

export const report = (reportId: string, over: Partial<GroundReport> = {}): GroundReport => ({
  reportId,
  targetId: null,
  verdict: 'confirmed_poppy',
  what: null,
  position: [100.0001, 25.0001],
  accuracyM: 5,
  observedAt: '2026-04-20T09:00:00+08:00',
  team: 'A',
  plantCount: null,
  areaM2: null,
  photos: [],
  notes: null,
  ...over,
});
