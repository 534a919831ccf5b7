import { describe, expect, it } from 'vitest';
import { planInputs } from './plan-inputs';
import { SERVICE_TIME_DEFAULTS, serviceRule, serviceTimeS } from './service-time';

// Two plots as the workspace gives them (store's planningTargets): a point of 50 m² and a polygon of 2 000 m².
const FC = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'a', score_max: 0.8, area_m2: 50 }, geometry: { type: 'Point', coordinates: [100.001, 25.001] } },
    {
      type: 'Feature',
      properties: { id: 'b', score_max: 0.6, area_m2: 2000 },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [100.002, 25.002],
            [100.0024, 25.002],
            [100.0024, 25.0024],
            [100.002, 25.0024],
            [100.002, 25.002],
          ],
        ],
      },
    },
  ],
};

describe('the service-time rule', () => {
  it('is a base time plus time per m² of plot, defaults 10 min and 0.2 s', () => {
    expect(SERVICE_TIME_DEFAULTS).toEqual({ baseS: 600, perM2S: 0.2 });
    expect(serviceTimeS(2000)).toBe(1000);
    expect(serviceTimeS(0)).toBe(600);
    expect(serviceTimeS(447.3, { baseS: 300, perM2S: 1 })).toBe(747);
    expect(serviceRule({ perM2S: 0 })).toEqual({ baseS: 600, perM2S: 0 });
  });
});

describe('planInputs', () => {
  it('builds targets timed by the rule and teams T1 … at the depot', () => {
    const { targets, teams } = planInputs(FC, { teams: 2, depot: [100, 25], shiftS: 8 * 3600 });
    expect(targets.map((t) => [t.id, t.serviceS])).toEqual([
      ['a', 610],
      ['b', 1000],
    ]);
    expect(teams).toEqual([
      { id: 'T1', name: '第 1 组 Team 1', start: [100, 25], shiftS: 28800 },
      { id: 'T2', name: '第 2 组 Team 2', start: [100, 25], shiftS: 28800 },
    ]);
  });

  it('takes the base and per-m² parts given (0 per m²: a flat time per stop), and names teams as told', () => {
    const { targets, teams } = planInputs(FC, {
      teams: 1,
      depot: [100, 25],
      shiftS: 3600,
      shiftStartS: 7 * 3600,
      maxStops: 4,
      service: { baseS: 900, perM2S: 0 },
      teamName: (n) => `Team ${n}`,
    });
    expect(targets.map((t) => t.serviceS)).toEqual([900, 900]);
    expect(teams).toEqual([{ id: 'T1', name: 'Team 1', start: [100, 25], shiftS: 3600, shiftStartS: 25200, maxStops: 4 }]);
  });
});
