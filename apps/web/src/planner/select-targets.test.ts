import { describe, expect, it } from 'vitest';
import type { Feature } from '../map/survey-data';
import { selectTargets } from './select-targets';

const at = (id: string, lon: number, lat: number, score: number, zone: string, status = 'detected'): Feature => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties: { id, score_max: score, zone, status },
});
const fs = [at('a', 0.5, 0.5, 0.9, 'V1'), at('b', 1.5, 0.5, 0.5, 'V1'), at('c', 0.5, 1.5, 0.7, 'V2', 'inspected_negative'), at('d', 0.2, 0.2, 0.3, 'V2')];
const ids = (x: Feature[]) => x.map((f) => f.id);

describe('selectTargets', () => {
  it('filters by score, zone, open status and a drawn polygon', () => {
    const base = { minScore: 0, zone: '', polygon: null, onlyOpen: false };
    expect(ids(selectTargets(fs, { ...base, minScore: 0.5 }))).toEqual(['a', 'b', 'c']);
    expect(ids(selectTargets(fs, { ...base, zone: 'V2' }))).toEqual(['c', 'd']);
    expect(ids(selectTargets(fs, { ...base, onlyOpen: true }))).toEqual(['a', 'b', 'd']);
    expect(
      ids(
        selectTargets(fs, {
          ...base,
          polygon: [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        }),
      ),
    ).toEqual(['a', 'd']);
    expect(
      ids(
        selectTargets(fs, {
          ...base,
          polygon: [
            [0, 0],
            [1, 0],
          ],
        }),
      ),
    ).toEqual(['a', 'b', 'c', 'd']);
  });
  it('leaves out desk dismissals unless drawn for a ground audit', () => {
    const desk = at('e', 0.5, 0.5, 0.6, 'V1', 'dismissed_desk');
    const drawn = {
      ...at('f', 0.5, 0.5, 0.6, 'V1', 'dismissed_desk'),
      properties: { ...at('f', 0, 0, 0.6, 'V1', 'dismissed_desk').properties, ground_audit: true },
    };
    expect(ids(selectTargets([desk, drawn], { minScore: 0, zone: '', polygon: null, onlyOpen: true }))).toEqual(['f']);
  });
});
