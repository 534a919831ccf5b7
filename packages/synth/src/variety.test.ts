import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { generateScene } from './generate-scene';
import { buildSceneLayout, type SceneLayout } from './scene-layout';
import { shadePoint } from './render-rows';
import { pointInRing } from '@tiandi/geo';
import { drawBroadPlant, photoGain, shadeIntercrop, wideLook, WIDE_FLOWERS, type CameraLook } from './variety';
import { createPrng } from './prng';
import { Kind, type TruthPlot } from './scene-types';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Wide layouts of several seeds, 150 m square with many plots, and every plot with its layout. */
function widePlots(seeds: number[]): Array<{ l: SceneLayout; p: TruthPlot }> {
  return seeds.flatMap((seed) => {
    const l = buildSceneLayout({ seed, widthM: 150, heightM: 150, plotsPerHa: 12, variety: 'wide' });
    return l.plots.map((p) => ({ l, p }));
  });
}

/** Mean colour of the scene (before the camera) at up to `n` grid points inside a plot. */
function meanInside(l: SceneLayout, p: TruthPlot, n = 400): [number, number, number] {
  const xs = p.ring.map((q) => q[0]),
    ys = p.ring.map((q) => q[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const out = new Float64Array(3),
    sum = [0, 0, 0];
  let k = 0;
  const step = Math.max(0.013, Math.sqrt(((x1 - x0) * (y1 - y0)) / n));
  for (let y = y0; y < y1; y += step)
    for (let x = x0; x < x1; x += step) {
      if (!pointInRing(x, y, p.ring)) continue;
      shadePoint(l, x, y, out);
      sum[0] += out[0];
      sum[1] += out[1];
      sum[2] += out[2];
      k++;
    }
  return [sum[0] / k, sum[1] / k, sum[2] / k];
}

describe('the classic world is unchanged', () => {
  it('renders the same pixels and truth as before the wide world existed (demo and eval seeds rely on it)', () => {
    const s = generateScene({ seed: 11, gsdM: 0.05, widthPx: 1024 });
    expect(sha(s.renderRows(300, 64))).toBe('3a8384b80d1ad0e52a4f0d85bd367ac118342b4128c3b773995418b453cceeaa');
    expect(sha(JSON.stringify(s.truth))).toBe('713bfb5b0bfadfa84bebf30f772ebeac91c0c56406fb3576adcfc01923123ac7');
    const c = generateScene({ seed: 11, gsdM: 0.05, widthPx: 1024, variety: 'classic' });
    expect(sha(c.renderRows(300, 64))).toBe(sha(s.renderRows(300, 64)));
    expect(s.layout.look.camera).toBeUndefined();
  });
});

describe('wide world (domain randomisation)', () => {
  it('keeps the classic field layout of a seed but draws its own look and camera', () => {
    const a = buildSceneLayout({ seed: 5, widthM: 100, heightM: 100 });
    const b = buildSceneLayout({ seed: 5, widthM: 100, heightM: 100, variety: 'wide' });
    expect(b.vEdges).toEqual(a.vEdges);
    expect(b.rows.map((r) => r.parcels.map((p) => p.cover))).toEqual(a.rows.map((r) => r.parcels.map((p) => p.cover)));
    expect(b.look.camera).toBeDefined();
    expect(b.look.brightness).not.toBe(a.look.brightness);
  });

  it('draws camera and sun over wide ranges across seeds', () => {
    const looks = Array.from({ length: 200 }, (_, i) => wideLook(i));
    const az = looks.map((l) => Math.atan2(l.shadowDx, l.shadowDy));
    expect(Math.min(...az)).toBeLessThan(-2.5); // sun from every side, not only the south
    expect(Math.max(...az)).toBeGreaterThan(2.5);
    expect(Math.min(...looks.map((l) => l.jpegQuality))).toBeLessThan(45);
    expect(new Set(looks.map((l) => l.camera!.blurAxis))).toEqual(new Set(['xy', 'x', 'y']));
    expect(looks.filter((l) => l.camera!.resampleK > 1).length).toBeGreaterThan(30);
    expect(Math.min(...looks.map((l) => l.camera!.gamma))).toBeLessThan(0.75);
    expect(Math.max(...looks.map((l) => l.tint[2]))).toBeGreaterThan(1.15);
  });

  it('plants every stage, both sowings, intercrops and the new flower colours, with truth to match', () => {
    const all = widePlots([1, 2, 3, 4, 5, 6, 7, 8]);
    const stages = new Set(all.map(({ p }) => p.stage));
    expect(stages).toEqual(new Set(['flowering', 'capsule', 'rosette']));
    expect(new Set(all.map(({ p }) => p.sowing))).toEqual(new Set(['rows', 'broadcast']));
    expect(new Set(all.flatMap(({ p }) => (p.intercrop ? [p.intercrop] : []))).size).toBeGreaterThanOrEqual(2);
    const colours = new Set(all.flatMap(({ p }) => p.flowerColours));
    expect([...colours].some((c) => ['lilac', 'crimson', 'scarlet'].includes(c))).toBe(true);
    for (const { p } of all) {
      if (p.stage !== 'flowering') expect(p.flowerColours).toEqual([]);
      expect(p.areaM2).toBeGreaterThan(1);
    }
    // Irregular open-field outlines (not only the classic rectangles): some open-field plots have 6+ vertices.
    expect(all.some(({ p }) => p.setting === 'open_field' && p.ring.length >= 7)).toBe(true);
    const g = generateScene({ seed: 3, gsdM: 0.05, widthPx: 3000, plotsPerHa: 12, variety: 'wide' });
    const f = g.truth.features.find((x) => x.properties.class === 'poppy')!.properties as { sowing?: string };
    expect(['rows', 'broadcast']).toContain(f.sowing);
  });

  it('shades pre-flowering rosettes glaucous blue-green (blue above red), flowering plots with their flower colours', () => {
    const all = widePlots([1, 2, 3, 4, 5, 6, 7, 8]).filter(({ p }) => !p.intercrop);
    const ros = all.find(({ p }) => p.stage === 'rosette')!;
    const [r, g, b] = meanInside(ros.l, ros.p);
    expect(g).toBeGreaterThan(r + 10);
    expect(b).toBeGreaterThan(r);
    const red = all.find(({ p }) => p.stage === 'flowering' && p.flowerColours.length === 1 && ['red', 'crimson', 'scarlet'].includes(p.flowerColours[0]));
    expect(red).toBeDefined();
    const { l, p } = red!;
    const xs = p.ring.map((q) => q[0]),
      ys = p.ring.map((q) => q[1]);
    const out = new Float64Array(3);
    let flowers = 0;
    for (let y = Math.min(...ys); y < Math.max(...ys); y += 0.01)
      for (let x = Math.min(...xs); x < Math.max(...xs); x += 0.01) {
        if (!pointInRing(x, y, p.ring)) continue;
        shadePoint(l, x, y, out);
        if (out[0] > 120 && out[0] > 2.2 * out[1]) flowers++;
      }
    expect(flowers).toBeGreaterThan(20);
    expect(WIDE_FLOWERS.map((w) => w.name)).toEqual(expect.arrayContaining(['white', 'pink', 'red', 'purple', 'lilac']));
  });

  it('draws maize over the poppy at its plants and lets the poppy show between its rows', () => {
    const out = new Float64Array(3);
    const ic = { kind: 'maize' as const, cellM: 0.3, rowM: 0.8, seed: 4 };
    let hits = 0,
      misses = 0;
    for (let y = 0; y < 4; y += 0.02)
      for (let x = 0; x < 4; x += 0.02) {
        if (shadeIntercrop(ic, undefined, x, y, out)) {
          hits++;
          expect(out[1]).toBeGreaterThan(out[0]);
          expect(out[0]).toBeGreaterThan(out[2]);
        } else misses++;
      }
    expect(hits / (hits + misses)).toBeGreaterThan(0.1);
    expect(misses / (hits + misses)).toBeGreaterThan(0.3);
  });

  it("darkens each photo's corners (vignetting) and gives neighbouring photos their own exposure (seamlines)", () => {
    const cam: CameraLook = { gamma: 1, blurAxis: 'xy', photoM: 50, vignette: 0.4, seam: 0.1, resampleK: 1 };
    const g = new Float64Array(3);
    // Away from the wandering edges: the middle of photo (1, 1) against a point near its corner.
    photoGain(cam, 9, 75, 75, g);
    const centre = g[1];
    photoGain(cam, 9, 57, 57, g);
    expect(g[1]).toBeLessThan(centre * 0.95);
    const mids = [25, 75, 125, 175].map((x) => {
      photoGain(cam, 9, x, 75, g);
      return g[1];
    });
    expect(new Set(mids.map((m) => m.toFixed(4))).size).toBeGreaterThan(1);
  });

  it('renders a wide scene band by band the same as whole, and differently from the classic look', () => {
    const s = generateScene({ seed: 12, gsdM: 0.04, widthPx: 256, variety: 'wide' });
    const big = s.renderRows(0, 64);
    expect(sha(s.renderRows(32, 16))).toBe(sha(big.subarray(32 * 256 * 3, 48 * 256 * 3)));
    const c = generateScene({ seed: 12, gsdM: 0.04, widthPx: 256 });
    expect(sha(c.renderRows(0, 64))).not.toBe(sha(big));
  });
});

/** Isoperimetric quotient 4πA/P² of a ring (1 for a disc, ~0.35 for a 9:1 ellipse). */
function roundness(ring: Array<[number, number]>): number {
  let a = 0,
    per = 0;
  for (let i = 1; i < ring.length; i++) {
    const [x0, y0] = ring[i - 1],
      [x1, y1] = ring[i];
    a += x0 * y1 - x1 * y0;
    per += Math.hypot(x1 - x0, y1 - y0);
  }
  return (4 * Math.PI * Math.abs(a / 2)) / (per * per);
}

describe('broad world (wide, with poppy looks broadened further)', () => {
  it('leaves the wide world as it was (wide eval and training seeds rely on it)', () => {
    const g = generateScene({ seed: 3, gsdM: 0.05, widthPx: 1600, plotsPerHa: 40, variety: 'wide' });
    expect(sha(JSON.stringify(g.truth))).toBe('e9740b48f2d9dd331e6cb877280c79cd15a552aade971aa85a0678218ec1b6b5');
    expect(sha(g.renderRows(700, 48))).toBe('10e4e186954735846587ae066b253422f080b8b7db624c973662f13b19d75972');
  });

  it('draws soils of several colours, seedlings to large plants, and flower carpets only for flowering plots', () => {
    const r = createPrng(7);
    const drawn = Array.from({ length: 300 }, (_, i) => drawBroadPlant(r, (['flowering', 'capsule', 'rosette'] as const)[i % 3]));
    expect(new Set(drawn.map((b) => b.soil.map((c) => Math.round(c / 40)).join())).size).toBeGreaterThanOrEqual(5);
    expect(Math.min(...drawn.map((b) => b.plantScale))).toBeLessThan(0.5);
    expect(Math.max(...drawn.map((b) => b.leafShare))).toBeGreaterThan(0.6);
    expect(Math.min(...drawn.map((b) => b.leafShare))).toBeLessThan(0.05);
    const carpets = drawn.filter((b) => b.carpet);
    expect(carpets.length).toBeGreaterThan(30);
    expect(drawn.every((b, i) => !b.carpet || i % 3 === 0)).toBe(true);
  });

  it('plants carpets of bloom that hide the leaves, slivers, and trees in blossom over plots', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const broad = seeds.map((seed) => buildSceneLayout({ seed, widthM: 150, heightM: 150, plotsPerHa: 12, variety: 'broad' }));
    const wide = seeds.map((seed) => buildSceneLayout({ seed, widthM: 150, heightM: 150, plotsPerHa: 12, variety: 'wide' }));
    // The same fields as the wide world (and the classic one) of each seed.
    expect(broad.map((l) => l.vEdges)).toEqual(wide.map((l) => l.vEdges));
    const plots = broad.flatMap((l) => l.plots.map((p) => ({ l, p })));
    // A carpet: most of a flowering plot's ground in petals of its colours (the wide world's flowers are dots on leaves).
    const petalShare = ({ l, p }: { l: SceneLayout; p: TruthPlot }) => {
      const [r, g, b] = meanInside(l, p, 900);
      return Math.max(r, b) - g;
    };
    const flowering = plots.filter(({ l, p }) => p.stage === 'flowering' && !p.intercrop && l.objects.some((o) => o.plant?.broad?.carpet));
    expect(Math.max(...flowering.map(petalShare))).toBeGreaterThan(40);
    // Slivers in open fields and among crops (field-edge strips were already long and thin).
    const slivers = (ls: SceneLayout[]) =>
      ls.flatMap((l) => l.plots).filter((p) => ['open_field', 'in_crop'].includes(p.setting) && roundness(p.ring) < 0.5).length;
    expect(slivers(broad)).toBeGreaterThan(slivers(wide) + 3);
    const blossomOverPlot = broad.some((l) =>
      l.objects.some(
        (o) =>
          o.kind === Kind.BlossomTree &&
          o.shape.type === 'circle' &&
          l.plots.some((p) => pointInRing((o.shape as { cx: number }).cx, (o.shape as { cy: number }).cy, p.ring)),
      ),
    );
    expect(blossomOverPlot).toBe(true);
  });
});
