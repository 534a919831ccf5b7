import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { ArrayTour } from './array-tour';
import { neighbourLists } from './neighbour-lists';
import { tourCost } from './solve-tsp';
import { TspLocalSearch } from './tsp-local-search';

function randomCities(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const xy = Array.from({ length: n }, () => [rng.next() * 1000, rng.next() * 1000]);
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.round(Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]));
  return d;
}

describe('TspLocalSearch', () => {
  it('improves a random tour by exactly the change it reports, keeping a permutation', () => {
    for (const seed of [1, 2, 3]) {
      const n = 80;
      const D = randomCities(n, seed);
      const order = Array.from({ length: n }, (_, i) => i);
      const rng = createRng(seed + 10);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const tour = new ArrayTour(order);
      const search = new TspLocalSearch(tour, D, n, neighbourLists(D, n, 10), 10);
      const before = tourCost(D, n, tour.tour);
      for (let i = 0; i < n; i++) search.push(i);
      const delta = search.run();
      const after = tourCost(D, n, tour.tour);
      expect(after).toBeLessThan(before * 0.5); // a random tour is far from 2-opt-optimal
      expect(after).toBeCloseTo(before + delta, 6);
      expect(Array.from(tour.tour).sort((a, b) => a - b)).toEqual(order.slice().sort((a, b) => a - b));
      // A second pass over every city finds nothing more.
      for (let i = 0; i < n; i++) search.push(i);
      expect(search.run()).toBe(0);
    }
  });

  it('untangles a crossing on a square', () => {
    // Corners of a unit square visited 0 → 2 → 1 → 3: both diagonals; the optimum walks the sides.
    const pts = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
    ];
    const n = 4;
    const D = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i * n + j] = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
    const tour = new ArrayTour([0, 2, 1, 3]);
    const search = new TspLocalSearch(tour, D, n, neighbourLists(D, n, 3), 3);
    for (let i = 0; i < n; i++) search.push(i);
    search.run();
    expect(tourCost(D, n, tour.tour)).toBeCloseTo(4, 9);
  });
});
