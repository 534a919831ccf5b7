import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDemoSurvey } from './demo-survey';
import { demoFlightBlocks } from './demo-flight-blocks';

const seeds = join(import.meta.dirname, '../../../../seeds');

describe('buildDemoSurvey', () => {
  const s = buildDemoSurvey();

  it('is deterministic and matches the committed seeds', () => {
    expect(JSON.stringify(buildDemoSurvey())).toBe(JSON.stringify(s));
    const roads = JSON.parse(readFileSync(join(seeds, 'roads.geojson'), 'utf8'));
    expect(roads.features.length).toBe(s.roads.length);
    expect(roads.features[0].geometry.coordinates).toEqual(s.roads[0].coords);
  });

  it('has 6 villages in Liangshan with Chinese names and pinyin', () => {
    expect(s.villages).toHaveLength(6);
    for (const v of s.villages) {
      expect(v.name).toMatch(/村$/);
      expect(v.namePinyin).toMatch(/ Cun$/);
      expect(v.centre[0]).toBeGreaterThan(102.2);
      expect(v.centre[0]).toBeLessThan(102.4);
      expect(v.centre[1]).toBeGreaterThan(27.8);
      expect(v.centre[1]).toBeLessThan(28.0);
    }
  });

  it('forms one connected road network whose junctions are shared line ends', () => {
    const key = (p: number[]) => `${p[0]},${p[1]}`;
    const parent = new Map<string, string>();
    const find = (k: string): string => {
      const p = parent.get(k) ?? k;
      if (p === k) return k;
      const r = find(p);
      parent.set(k, r);
      return r;
    };
    for (const r of s.roads) {
      const a = key(r.coords[0]);
      const b = key(r.coords[r.coords.length - 1]);
      parent.set(find(a), find(b));
    }
    const roots = new Set(s.roads.flatMap((r) => [find(key(r.coords[0])), find(key(r.coords[r.coords.length - 1]))]));
    expect(roots.size).toBe(1);
    const classes = new Set(s.roads.map((r) => r.highway));
    expect([...classes].sort()).toEqual(['path', 'secondary', 'service', 'tertiary', 'track', 'unclassified']);
    // The depot sits at the end of the service road.
    const svc = s.roads.find((r) => r.highway === 'service')!;
    expect(svc.coords[svc.coords.length - 1]).toEqual(s.depot.lonLat);
  });

  it('places 5 flight blocks of at least 100 Mpx in all in EPSG:4522 with the zone prefix', () => {
    const b = demoFlightBlocks(s);
    expect(b.blocks).toHaveLength(5);
    const mpx = b.blocks.reduce((t, x) => t + x.widthPx * x.heightPx, 0) / 1e6;
    expect(mpx).toBeGreaterThanOrEqual(100);
    for (const x of b.blocks) expect(Math.floor(x.originX / 1e6)).toBe(34);
  });
});

describe('demo imagery', () => {
  it("renders each block deterministically in EPSG:4522 inside its village's township, with a few poppy plots", async () => {
    const { demoBlockScene } = await import('./ensure-demo-imagery');
    const { generateScene } = await import('../generate-scene');
    const s = buildDemoSurvey();
    let plots = 0;
    for (const b of demoFlightBlocks(s).blocks) {
      const scene = generateScene(demoBlockScene(b));
      expect(scene.georef.geoTransform).toEqual([b.originX, b.gsdM, 0, b.originY, 0, -b.gsdM]);
      const [lon, lat] = scene.georef.sceneToLonLat(0, 0);
      expect(lon).toBeGreaterThan(102.2);
      expect(lat).toBeGreaterThan(27.8);
      plots += scene.layout.plots.length;
    }
    expect(plots).toBeGreaterThanOrEqual(5);
    expect(plots).toBeLessThanOrEqual(40);
  });
});
