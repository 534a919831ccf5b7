import { describe, expect, it } from 'vitest';
import type { Target } from '@tiandi/geo';
import { targetFeature } from './geojson';

const target: Target = {
  id: 'T-1',
  status: 'detected',
  origin: 'scan',
  missedByScan: false,
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [100, 25],
        [100.001, 25],
        [100.001, 25.001],
        [100, 25],
      ],
    ],
  },
  scoreMax: 0.8,
  scoreVerify: 0.9986,
  unverified: false,
  areaM2: 400,
  sources: ['s/a.tif/c0'],
  review: null,
  eradicatedAt: null,
  reportIds: [],
  desk: null,
  groundAudit: false,
} as Target;

describe('targetFeature', () => {
  it('sends the calibrated probability beside the raw verifier score, null when the model has no calibration', () => {
    expect(targetFeature({ ...target, pPoppy: 0.889 }).properties).toMatchObject({ score_verify: 0.9986, p_poppy: 0.889 });
    expect(targetFeature(target).properties).toMatchObject({ score_verify: 0.9986, p_poppy: null });
  });
});
