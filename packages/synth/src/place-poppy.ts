import { pointInRing } from '@tiandi/geo';
import type { Prng } from './prng';
import { Cover, Kind, type PlotSetting, type SceneObject, type SceneXY } from './scene-types';
import { blobRingXY, makeObject, ringAreaM2, shapeHit } from './shapes';
import { addTree, forEachParcel, insideRing, uvToXy, type SceneLayout } from './scene-layout';
import { drawBroadPlant, drawLeafColour, drawPlantVariant } from './variety';

/** Flower colours of opium poppy (RGB) and their names. */
export const POPPY_FLOWERS: Array<{ name: string; rgb: [number, number, number] }> = [
  { name: 'white', rgb: [242, 240, 236] },
  { name: 'pink', rgb: [236, 140, 178] },
  { name: 'red', rgb: [205, 28, 42] },
  { name: 'purple', rgb: [142, 58, 150] },
];

const HOST_COVERS = new Set([Cover.Wheat, Cover.Rapeseed, Cover.Vegetables, Cover.Garlic, Cover.Brassica, Cover.Fallow, Cover.Soil, Cover.Ploughed]);
const BLOCKING = new Set([Kind.Road, Kind.Track, Kind.Building, Kind.Pond, Kind.Tree, Kind.BlossomTree, Kind.Courtyard, Kind.Poppy, Kind.PoppyCapsule]);

/**
 * Places poppy plots in the settings where they are really found, and records their ground truth. `wide`: plots
 * of the domain-randomised world (irregular outlines, any stage, sowing, intercrop; see variety.ts). `broad` (with
 * `wide`): their looks broadened further (drawBroadPlant), thin slivers among the outlines, and trees over plots
 * more often, in blossom more often.
 */
export function placePoppyPlots(l: SceneLayout, r: Prng, plotsPerHa: number, wide = false, broad = false): void {
  const areaHa = (l.widthM * l.heightM) / 10_000;
  const mean = plotsPerHa * areaHa;
  const n = mean <= 0 ? 0 : Math.max(0, Math.round(mean + r.normal() * Math.sqrt(mean)));
  const hosts: Host[] = [];
  forEachParcel(l, (p, ring, i, j) => {
    if (HOST_COVERS.has(p.cover)) hosts.push({ ring, u0: l.rows[i].uEdges[j], u1: l.rows[i].uEdges[j + 1], v0: l.vEdges[i], v1: l.vEdges[i + 1] });
  });
  const yards = l.objects.filter((o) => o.kind === Kind.Courtyard);
  if (!hosts.length) return;
  const settings: PlotSetting[] = ['open_field', 'in_crop', 'in_crop', 'field_edge', 'tree_edge', 'courtyard'];
  for (let k = 0; k < n; k++) {
    let setting = r.pick(settings);
    if (setting === 'courtyard' && !yards.length) setting = 'in_crop';
    for (let attempt = 0; attempt < 25; attempt++) {
      const h = r.pick(hosts);
      const drawn = plotRing(l, r, h, setting, wide, yards, broad);
      if (!drawn) continue;
      const { ring, tree } = drawn;
      if (setting !== 'courtyard' && !ring.every((p) => insideRing(h.ring, p[0], p[1], 0.3))) continue;
      if (!ring.every((p) => p[0] > 1 && p[1] > 1 && p[0] < l.widthM - 1 && p[1] < l.heightM - 1)) continue;
      if (blocked(l.objects, ring, setting === 'courtyard')) continue;
      if (wide) placeWidePlot(l, r, ring, setting, broad);
      else placeClassicPlot(l, r, ring, setting, tree);
      if (tree && wide) addTree(l, r, tree[0], tree[1], tree[2], false);
      break;
    }
  }
}

/** A parcel that can hide a plot, with its extent in the grid's (u, v). */
type Host = { ring: SceneXY[]; u0: number; u1: number; v0: number; v1: number };

/**
 * The outline of a plot in its setting, drawn in host parcel `h` (or a courtyard), and for tree_edge
 * the tree that shades it; undefined when this draw does not fit (the caller tries again).
 */
function plotRing(
  l: SceneLayout,
  r: Prng,
  h: Host,
  setting: PlotSetting,
  wide: boolean,
  yards: SceneObject[],
  broad = false,
): { ring: SceneXY[]; tree?: [number, number, number] } | undefined {
  const ang = Math.atan2(l.sin, l.cos);
  // Broad: slivers too (a strip along a path or between crops), up to 9:1.
  const maxAspect = broad ? 9 : 4;
  if (setting === 'open_field' && wide && r.chance(0.6)) {
    const c = uvToXy(l, r.range(h.u0, h.u1), r.range(h.v0, h.v1));
    return { ring: irregularRingXY(c[0], c[1], Math.exp(r.range(Math.log(3), Math.log(120))), r.range(1, maxAspect), r.range(0, Math.PI), r) };
  }
  if (setting === 'open_field') {
    const lu = Math.min(h.u1 - h.u0 - 2, r.range(5, 22)),
      lv = Math.min(h.v1 - h.v0 - 2, r.range(4, 16));
    if (lu < 3 || lv < 3) return undefined;
    const u = r.range(h.u0 + 1, h.u1 - 1 - lu),
      v = r.range(h.v0 + 1, h.v1 - 1 - lv);
    return { ring: [uvToXy(l, u, v), uvToXy(l, u + lu, v), uvToXy(l, u + lu, v + lv), uvToXy(l, u, v + lv)] };
  }
  if (setting === 'in_crop' || setting === 'tree_edge') {
    const area = Math.exp(r.range(Math.log(2), Math.log(50)));
    const c = uvToXy(l, r.range(h.u0, h.u1), r.range(h.v0, h.v1));
    const ring = blobRingXY(c[0], c[1], area, r.range(1, broad ? 6 : 2.5), r.range(0, Math.PI), r.next);
    if (setting !== 'tree_edge') return { ring };
    const p = ring[r.int(0, ring.length - 1)];
    const rad = r.range(1.4, 2.4);
    return { ring, tree: [p[0] + (p[0] - c[0]) * 0.25, p[1] + (p[1] - c[1]) * 0.25, rad] };
  }
  if (setting === 'field_edge') {
    const area = Math.exp(r.range(Math.log(2), Math.log(30)));
    const w = r.range(0.8, 1.8),
      len = area / w;
    if (len > h.u1 - h.u0 - 2) return undefined;
    const u = r.range(h.u0 + 1 + len / 2, h.u1 - 1 - len / 2);
    const top = r.chance(0.5);
    const v = top ? h.v0 + l.bundHalfM + w / 2 + 0.1 : h.v1 - l.bundHalfM - w / 2 - 0.1;
    const c = uvToXy(l, u, v);
    return { ring: blobRingXY(c[0], c[1], area, (len / w) ** 1, ang, r.next, 24) };
  }
  const y = r.pick(yards);
  if (y.shape.type !== 'rect') return undefined;
  const s = y.shape;
  const hw = r.range(0.7, 1.6),
    hh = r.range(0.6, 1.3);
  const du = r.range(-s.hw + hw + 0.5, s.hw - hw - 0.5),
    dv = r.range(0, s.hh - hh - 0.5);
  const cx = s.cx + du * s.cos - dv * s.sin,
    cy = s.cy + du * s.sin + dv * s.cos;
  return {
    ring: [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ].map(([a, b]) => [cx + a * hw * s.cos - b * hh * s.sin, cy + a * hw * s.sin + b * hh * s.cos]) as SceneXY[],
  };
}

/** A classic-world plot: flowering or in capsule, one flower colour or mixed, its truth recorded; the shading tree after it. */
function placeClassicPlot(l: SceneLayout, r: Prng, ring: SceneXY[], setting: PlotSetting, tree: [number, number, number] | undefined): void {
  const capsule = r.chance(0.3);
  const main = r.int(0, 3);
  const mixed = r.chance(0.5);
  const densityPerM2 = r.range(14, 36);
  const areaM2 = ringAreaM2(ring);
  const obj: SceneObject = makeObject({
    kind: capsule ? Kind.PoppyCapsule : Kind.Poppy,
    z: 10,
    shape: { type: 'poly', ring },
    colour: capsule ? [r.int(118, 138), r.int(146, 162), r.int(124, 140)] : [r.int(104, 122), r.int(140, 158), r.int(128, 146)],
    colour2: POPPY_FLOWERS[main].rgb,
    seed: r.int(0, 1e9),
    density: mixed ? -r.range(0.45, 0.85) : r.range(0.45, 0.85),
    cellM: 1 / Math.sqrt(densityPerM2),
  });
  l.objects.push(obj);
  if (tree) addTree(l, r, tree[0], tree[1], tree[2], false);
  l.plots.push({
    id: `p${l.plots.length + 1}`,
    stage: capsule ? 'capsule' : 'flowering',
    setting,
    ring: [...ring, ring[0]],
    areaM2: Math.round(areaM2 * 100) / 100,
    plantCount: Math.round(areaM2 * densityPerM2),
    flowerColours: capsule ? [] : mixed ? POPPY_FLOWERS.map((f) => f.name) : [POPPY_FLOWERS[main].name],
  });
}

/**
 * A wide-world plot: its stage, sowing, flowers and intercrop drawn, fruit trees or a shading tree added. Broad:
 * its looks broadened (drawBroadPlant), fruit trees larger and often in blossom, a tree over part of it more often.
 */
function placeWidePlot(l: SceneLayout, r: Prng, ring: SceneXY[], setting: PlotSetting, broad = false): void {
  const d = drawPlantVariant(r, l.cos, l.sin);
  if (broad) d.variant.broad = drawBroadPlant(r, d.truth.stage);
  const areaM2 = ringAreaM2(ring);
  const rows = d.variant.rows;
  l.objects.push(
    makeObject({
      kind: d.truth.stage === 'capsule' ? Kind.PoppyCapsule : Kind.Poppy,
      z: 10,
      shape: { type: 'poly', ring },
      colour: drawLeafColour(r, d.truth.stage),
      colour2: d.variant.palette[0],
      seed: r.int(0, 1e9),
      density: d.flowerShare,
      cellM: rows ? rows.plantM : 1 / Math.sqrt(d.densityPerM2),
      plant: d.variant,
    }),
  );
  const xs = ring.map((p) => p[0]),
    ys = ring.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (d.fruitTrees) {
    const nTrees = Math.max(1, Math.round(areaM2 / 25));
    for (let k = 0, tries = 0; k < nTrees && tries < 40; tries++) {
      const x = r.range(x0, x1),
        y = r.range(y0, y1);
      if (!pointInRing(x, y, ring)) continue;
      addTree(l, r, x, y, r.range(1, broad ? 2.8 : 2), r.chance(broad ? 0.55 : 0.25));
      k++;
    }
  } else if (r.chance(broad ? 0.45 : 0.3)) {
    // Part shade: a tree beside the plot, its shadow (sun from anywhere) falling on part of it; broad: the tree
    // may stand inside the plot's edge, its crown (sometimes in blossom) hiding part of the poppy.
    const p = ring[r.int(0, ring.length - 1)],
      cx = (x0 + x1) / 2,
      cy = (y0 + y1) / 2;
    const k = broad ? r.range(-0.5, 0.2) : 0.2;
    addTree(l, r, p[0] + (p[0] - cx) * k, p[1] + (p[1] - cy) * k, r.range(1.2, 2.6), broad && r.chance(0.35));
  }
  l.plots.push({
    id: `p${l.plots.length + 1}`,
    stage: d.truth.stage,
    setting,
    ring: [...ring, ring[0]],
    areaM2: Math.round(areaM2 * 100) / 100,
    plantCount: Math.round(areaM2 * d.densityPerM2),
    flowerColours: d.colours,
    sowing: d.truth.sowing,
    ...(d.truth.intercrop ? { intercrop: d.truth.intercrop } : {}),
  });
}

/** An irregular plot outline: 6-11 vertices at jittered angles and radii, elongated by `aspect`, scaled to `areaM2`. */
function irregularRingXY(cx: number, cy: number, areaM2: number, aspect: number, rot: number, r: Prng): SceneXY[] {
  const n = r.int(6, 11);
  const pts: SceneXY[] = [];
  for (let i = 0; i < n; i++) {
    const t = ((i + r.range(-0.3, 0.3)) / n) * 2 * Math.PI,
      rad = r.range(0.65, 1.3);
    pts.push([rad * Math.cos(t) * Math.sqrt(aspect), (rad * Math.sin(t)) / Math.sqrt(aspect)]);
  }
  const k = Math.sqrt(areaM2 / ringAreaM2(pts));
  const c = Math.cos(rot),
    sn = Math.sin(rot);
  return pts.map(([u, v]) => [cx + k * (u * c - v * sn), cy + k * (u * sn + v * c)]);
}

function blocked(objects: SceneObject[], ring: SceneXY[], inYard: boolean): boolean {
  const cx = ring.reduce((t, p) => t + p[0], 0) / ring.length,
    cy = ring.reduce((t, p) => t + p[1], 0) / ring.length;
  const pts: SceneXY[] = [[cx, cy]];
  for (let i = 0; i < ring.length; i++) {
    const [ax, ay] = ring[i],
      [bx, by] = ring[(i + 1) % ring.length];
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay)));
    for (let k = 0; k < n; k++) pts.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
  }
  for (const o of objects) {
    if (!BLOCKING.has(o.kind) || (inYard && o.kind === Kind.Courtyard)) continue;
    const [x0, y0, x1, y1] = o.bbox;
    for (const [x, y] of pts) {
      if (x < x0 - 1 || x > x1 + 1 || y < y0 - 1 || y > y1 + 1) continue;
      if (shapeHit(o.shape, x, y)) return true;
    }
    if (o.shape.type === 'poly' && pts.length) {
      // Another plot: reject when its vertices fall inside this ring's bbox neighbourhood.
      for (const [x, y] of o.shape.ring)
        if (
          x > Math.min(...ring.map((p) => p[0])) - 1 &&
          x < Math.max(...ring.map((p) => p[0])) + 1 &&
          y > Math.min(...ring.map((p) => p[1])) - 1 &&
          y < Math.max(...ring.map((p) => p[1])) + 1
        )
          return true;
    }
  }
  return false;
}
