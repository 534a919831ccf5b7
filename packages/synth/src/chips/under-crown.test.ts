import { pointInRing } from '@tiandi/geo';
import { describe, expect, it } from 'vitest';
import { generateScene } from '../generate-scene';
import { Kind, type SceneObject } from '../scene-types';
import { underTreeCrown } from './under-crown';

const disc = (kind: Kind, cx: number, cy: number, r: number): SceneObject => ({
  kind,
  z: 20,
  shape: { type: 'circle', cx, cy, r },
  bbox: [cx - r, cy - r, cx + r, cy + r],
  colour: [50, 90, 45],
  colour2: [240, 190, 200],
  seed: 1,
  density: 0.7,
});

describe('underTreeCrown', () => {
  it('is true inside a crown (in blossom or not) and false beside it or under other objects', () => {
    const objects = [disc(Kind.Tree, 10, 10, 2), disc(Kind.BlossomTree, 30, 10, 1.5), disc(Kind.Pond, 50, 10, 5)];
    expect(underTreeCrown(objects, 11.5, 10)).toBe(true);
    expect(underTreeCrown(objects, 30, 11.4)).toBe(true);
    expect(underTreeCrown(objects, 12.5, 10)).toBe(false);
    expect(underTreeCrown(objects, 50, 10)).toBe(false);
  });

  it('finds crowns standing over poppy plots in a broad-world scene', () => {
    const scene = generateScene({ seed: 1907, gsdM: 0.05, widthPx: 3000, plotsPerHa: 5, variety: 'broad' });
    const crowns = scene.layout.objects.filter((o) => o.kind === Kind.Tree || o.kind === Kind.BlossomTree);
    const centres = crowns.map((o) => o.shape as { cx: number; cy: number });
    const overPlot = centres.filter((c) => scene.layout.plots.some((p) => pointInRing(c.cx, c.cy, p.ring)));
    expect(overPlot.length).toBeGreaterThan(0);
    for (const c of overPlot) expect(underTreeCrown(scene.layout.objects, c.cx, c.cy)).toBe(true);
  });
});
