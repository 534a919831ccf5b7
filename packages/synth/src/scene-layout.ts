import { createPrng, type Prng } from './prng';
import { Cover, Kind, type Parcel, type SceneLook, type SceneObject, type SceneXY, type TruthLookalike, type TruthPlot } from './scene-types';
import { blobRingXY, makeObject, ringAreaM2, shapeRing } from './shapes';
import { placePoppyPlots } from './place-poppy';
import { placeLookalikes } from './place-lookalikes';
import { buildObjectIndex, type ObjectIndex } from './object-index';
import { wideLook } from './variety';

/** Everything needed to render a scene, in scene metres (x east, y south, origin top-left). */
export interface SceneLayout {
  seed: number;
  widthM: number;
  heightM: number;
  /** Rotation of the field grid: u = x cos + y sin, v = −x sin + y cos. */
  cos: number;
  sin: number;
  /** Row boundaries along v, ascending; row i spans [vEdges[i], vEdges[i+1]). */
  vEdges: number[];
  /** Per row: parcel boundaries along u and the parcels. */
  rows: Array<{ uEdges: number[]; parcels: Parcel[] }>;
  objects: SceneObject[];
  index: ObjectIndex;
  plots: TruthPlot[];
  lookalikes: TruthLookalike[];
  look: SceneLook;
  /** Bund (earth edge between parcels) half width in metres. */
  bundHalfM: number;
}

/** Options of the layout: extent in metres and how much poppy to plant. */
export interface LayoutOptions {
  seed: number;
  widthM: number;
  heightM: number;
  /** Expected number of poppy plots per hectare (default 2.5); 0 for a clean scene. */
  plotsPerHa?: number;
  /** `wide`: domain-randomised poppy and camera (variety.ts); `broad`: wide and poppy's looks broadened further; default `classic`. */
  variety?: 'classic' | 'wide' | 'broad';
}

const COVER_WEIGHTS: Array<[Cover, number]> = [
  [Cover.Wheat, 18],
  [Cover.Rapeseed, 12],
  [Cover.Vegetables, 10],
  [Cover.Brassica, 9],
  [Cover.Garlic, 9],
  [Cover.Soil, 6],
  [Cover.Ploughed, 6],
  [Cover.Orchard, 7],
  [Cover.Tea, 5],
  [Cover.Mulch, 7],
  [Cover.Fallow, 6],
];

function pickCover(r: Prng, teaOk: boolean): Cover {
  const total = COVER_WEIGHTS.reduce((t, [c, w]) => t + (c === Cover.Tea && !teaOk ? 0 : w), 0);
  let x = r.next() * total;
  for (const [c, w] of COVER_WEIGHTS) {
    if (c === Cover.Tea && !teaOk) continue;
    x -= w;
    if (x < 0) return c;
  }
  return Cover.Wheat;
}

/** Converts grid (u, v) back to scene (x, y). */
export function uvToXy(l: Pick<SceneLayout, 'cos' | 'sin'>, u: number, v: number): SceneXY {
  return [u * l.cos - v * l.sin, u * l.sin + v * l.cos];
}

/**
 * Lays out a procedural Chinese farmland scene: a rotated grid of parcels with crops, a village with
 * courtyards, roads and tracks, trees and orchards, a pond, poppy plots and look-alikes. Pure and
 * deterministic for its options.
 */
export function buildSceneLayout(opts: LayoutOptions): SceneLayout {
  const r = createPrng(opts.seed);
  const { widthM: W, heightM: H } = opts;
  const look = sceneLook(r);
  const broad = opts.variety === 'broad';
  const wide = opts.variety === 'wide' || broad;
  if (wide) Object.assign(look, wideLook(opts.seed)); // drawn from its own stream: the layout stays the classic one
  const grid = parcelGrid(r, W, H);
  const layout: SceneLayout = {
    seed: opts.seed,
    widthM: W,
    heightM: H,
    cos: grid.cos,
    sin: grid.sin,
    vEdges: grid.vEdges,
    rows: grid.rows,
    objects: [],
    index: undefined as unknown as ObjectIndex,
    plots: [],
    lookalikes: [],
    look,
    bundHalfM: r.range(0.15, 0.3),
  };
  // Village: parcels near its centre become village ground with courtyards and houses.
  if (r.chance(0.65)) addVillage(layout, r.fork(1), r.range(0.2 * W, 0.8 * W), r.range(0.2 * H, 0.8 * H), r.range(28, 55));
  const roadPts = addRoadAndTracks(layout, r, grid.uMin, grid.uMax);
  addRoadTrees(layout, r, roadPts);
  addOrchards(layout, r);
  // A pond.
  if (r.chance(0.45)) {
    const ring = blobRingXY(r.range(0.1 * W, 0.9 * W), r.range(0.1 * H, 0.9 * H), r.range(150, 700), r.range(1, 2.5), r.range(0, 3), r.next, 24);
    layout.objects.push(
      makeObject({ kind: Kind.Pond, z: 3, shape: { type: 'poly', ring }, colour: [62, 84, 80], colour2: [120, 110, 85], seed: r.int(0, 1e9), density: 0 }),
    );
  }
  placePoppyPlots(layout, r.fork(2), opts.plotsPerHa ?? 2.5, wide, broad);
  placeLookalikes(layout, r.fork(3));
  layout.index = buildObjectIndex(layout.objects, W, H);
  return layout;
}

/** The camera and light of the scene: brightness, tint, haze, blur, noise, shadow direction, JPEG quality. */
function sceneLook(r: Prng): SceneLook {
  return {
    brightness: r.range(0.82, 1.15),
    tint: [r.range(0.94, 1.06), r.range(0.96, 1.04), r.range(0.92, 1.08)],
    haze: r.chance(0.4) ? r.range(0.03, 0.22) : 0,
    blur: r.chance(0.5) ? r.range(0.05, 0.3) : 0,
    noise: r.range(2, 7),
    shadowDx: r.range(-0.7, 0.7),
    shadowDy: r.range(0.2, 0.8),
    jpegQuality: r.int(70, 92),
  };
}

/** The rotated grid of parcels over the scene (with a 5 m margin): row edges in v, parcel edges and crops in u. */
function parcelGrid(r: Prng, W: number, H: number): Pick<SceneLayout, 'cos' | 'sin' | 'vEdges' | 'rows'> & { uMin: number; uMax: number } {
  const ang = r.range(-0.5, 0.5);
  const cos = Math.cos(ang),
    sin = Math.sin(ang);
  // Rotated bbox of the scene in (u, v).
  const corners: SceneXY[] = [
    [0, 0],
    [W, 0],
    [0, H],
    [W, H],
  ];
  const us = corners.map(([x, y]) => x * cos + y * sin);
  const vs = corners.map(([x, y]) => -x * sin + y * cos);
  const uMin = Math.min(...us) - 5,
    uMax = Math.max(...us) + 5;
  const vMin = Math.min(...vs) - 5,
    vMax = Math.max(...vs) + 5;
  const teaOk = r.chance(0.35);
  const vEdges: number[] = [vMin];
  while (vEdges[vEdges.length - 1] < vMax) vEdges.push(vEdges[vEdges.length - 1] + r.range(9, 34));
  const rows = vEdges.slice(0, -1).map(() => {
    const uEdges: number[] = [uMin];
    const parcels: Parcel[] = [];
    while (uEdges[uEdges.length - 1] < uMax) {
      uEdges.push(uEdges[uEdges.length - 1] + r.range(18, 85));
      parcels.push({
        cover: pickCover(r, teaOk),
        seed: r.int(0, 1 << 30),
        rowAxis: r.chance(0.7) ? 0 : 1,
        rowSpacingM: r.range(0.25, 0.6),
        tint: r.range(0.88, 1.12),
      });
    }
    return { uEdges, parcels };
  });
  return { cos, sin, vEdges, rows, uMin, uMax };
}

/** A concrete road across the scene and one or two dirt tracks along parcel row boundaries. @returns the road's points. */
function addRoadAndTracks(layout: SceneLayout, r: Prng, uMin: number, uMax: number): SceneXY[] {
  const { widthM: W, heightM: H, vEdges, objects: objs } = layout;
  const roadPts: SceneXY[] = [];
  const side = r.chance(0.5);
  const a: SceneXY = side ? [-10, r.range(0, H)] : [r.range(0, W), -10];
  const b: SceneXY = side ? [W + 10, r.range(0, H)] : [r.range(0, W), H + 10];
  for (let i = 0; i <= 6; i++) {
    const t = i / 6;
    roadPts.push([a[0] + (b[0] - a[0]) * t + r.range(-4, 4), a[1] + (b[1] - a[1]) * t + r.range(-4, 4)]);
  }
  objs.push(
    makeObject({
      kind: Kind.Road,
      z: 5,
      shape: { type: 'line', pts: roadPts, halfWidth: r.range(2.2, 3.5) },
      colour: [172, 170, 163],
      colour2: [0, 0, 0],
      seed: r.int(0, 1e9),
      density: 0,
    }),
  );
  const nTracks = r.int(1, 2);
  for (let k = 0; k < nTracks; k++) {
    const vi = r.int(1, vEdges.length - 2);
    const v = vEdges[vi];
    objs.push(
      makeObject({
        kind: Kind.Track,
        z: 4,
        shape: { type: 'line', pts: [uvToXy(layout, uMin, v), uvToXy(layout, uMax, v)], halfWidth: r.range(1.1, 1.8) },
        colour: [150, 128, 98],
        colour2: [0, 0, 0],
        seed: r.int(0, 1e9),
        density: 0,
      }),
    );
  }
  return roadPts;
}

/** A row of trees along the road. */
function addRoadTrees(layout: SceneLayout, r: Prng, roadPts: SceneXY[]): void {
  for (let i = 1; i < roadPts.length; i++) {
    const [ax, ay] = roadPts[i - 1],
      [bx, by] = roadPts[i];
    const len = Math.hypot(bx - ax, by - ay);
    const nx = -(by - ay) / len,
      ny = (bx - ax) / len;
    for (let d = r.range(0, 8); d < len; d += r.range(6, 14)) {
      if (!r.chance(0.55)) continue;
      const off = (r.chance(0.5) ? 1 : -1) * r.range(4.5, 6.5);
      addTree(layout, r, ax + ((bx - ax) * d) / len + nx * off, ay + ((by - ay) * d) / len + ny * off, r.range(1.5, 3), r.chance(0.2));
    }
  }
}

/** Orchard parcels get trees on a lattice, mostly in blossom (blossoming ones are look-alikes). */
function addOrchards(layout: SceneLayout, r: Prng): void {
  const { widthM: W, heightM: H } = layout;
  forEachParcel(layout, (p, ring) => {
    if (p.cover !== Cover.Orchard) return;
    const blossom = r.chance(0.7);
    const step = r.range(3.5, 5.5);
    const [x0, y0, x1, y1] = ringExtent(ring);
    for (let y = y0 + step / 2; y < y1; y += step) {
      for (let x = x0 + step / 2; x < x1; x += step) {
        if (!insideRing(ring, x, y, 1.5) || x < -3 || y < -3 || x > W + 3 || y > H + 3) continue;
        addTree(layout, r, x + r.range(-0.4, 0.4), y + r.range(-0.4, 0.4), r.range(1.2, 2), blossom);
      }
    }
    if (blossom) layout.lookalikes.push({ id: `la-${layout.lookalikes.length + 1}`, what: 'blossom', ring });
  });
}

/** Adds a tree crown (and its shadow) at (x, y). */
export function addTree(l: SceneLayout, r: Prng, x: number, y: number, radiusM: number, blossom: boolean): void {
  const h = radiusM * r.range(1.2, 2);
  l.objects.push(
    makeObject({
      kind: Kind.Shadow,
      z: 6,
      shape: { type: 'circle', cx: x + l.look.shadowDx * h, cy: y + l.look.shadowDy * h, r: radiusM * 0.95 },
      colour: [0, 0, 0],
      colour2: [0, 0, 0],
      seed: 0,
      density: 0,
    }),
  );
  const pinkish = r.chance(0.6);
  l.objects.push(
    makeObject({
      kind: blossom ? Kind.BlossomTree : Kind.Tree,
      z: 20,
      shape: { type: 'circle', cx: x, cy: y, r: radiusM },
      colour: [r.int(45, 70), r.int(85, 110), r.int(40, 55)],
      colour2: pinkish ? [r.int(230, 250), r.int(170, 200), r.int(190, 215)] : [r.int(235, 250), r.int(235, 248), r.int(230, 245)],
      seed: r.int(0, 1e9),
      density: r.range(0.55, 0.9),
    }),
  );
}

function addVillage(l: SceneLayout, r: Prng, cx: number, cy: number, radiusM: number): void {
  forEachParcel(l, (p, ring) => {
    const [x0, y0, x1, y1] = ringExtent(ring);
    const px = (x0 + x1) / 2,
      py = (y0 + y1) / 2;
    if (Math.hypot(px - cx, py - cy) < radiusM) p.cover = Cover.VillageGround;
  });
  const n = r.int(5, 12);
  for (let i = 0; i < n; i++) {
    const a = r.range(0, 2 * Math.PI),
      d = r.range(0, radiusM * 0.8);
    const x = cx + d * Math.cos(a),
      y = cy + d * Math.sin(a);
    const hw = r.range(4, 7),
      hh = r.range(4, 7);
    const c = l.cos,
      s = l.sin;
    // Courtyard (walled yard) and the house along its north side.
    l.objects.push(
      makeObject({
        kind: Kind.Courtyard,
        z: 7,
        shape: { type: 'rect', cx: x, cy: y, hw, hh, cos: c, sin: s },
        colour: r.chance(0.6) ? [176, 170, 160] : [150, 130, 105],
        colour2: [205, 200, 190],
        seed: r.int(0, 1e9),
        density: 0,
      }),
    );
    const roofs: Array<[number, number, number]> = [
      [108, 108, 114],
      [70, 108, 158],
      [168, 62, 50],
      [198, 196, 190],
      [150, 80, 55],
    ];
    const roof = r.pick(roofs);
    const bh = r.range(2.5, 3.5);
    const hx = x + (hh - bh) * s,
      hy = y - (hh - bh) * c;
    l.objects.push(
      makeObject({
        kind: Kind.Shadow,
        z: 6,
        shape: { type: 'rect', cx: hx + l.look.shadowDx * 4, cy: hy + l.look.shadowDy * 4, hw, hh: bh, cos: c, sin: s },
        colour: [0, 0, 0],
        colour2: [0, 0, 0],
        seed: 0,
        density: 0,
      }),
    );
    l.objects.push(
      makeObject({
        kind: Kind.Building,
        z: 15,
        shape: { type: 'rect', cx: hx, cy: hy, hw, hh: bh, cos: c, sin: s },
        colour: roof,
        colour2: [roof[0] * 0.8, roof[1] * 0.8, roof[2] * 0.8],
        seed: r.int(0, 1e9),
        density: 0,
      }),
    );
    if (roof[0] === 168)
      l.lookalikes.push({
        id: `la-${l.lookalikes.length + 1}`,
        what: 'red_roof',
        ring: shapeRing({ type: 'rect', cx: hx, cy: hy, hw, hh: bh, cos: c, sin: s }),
      });
  }
}

/** Calls `fn` with every parcel and its outline ring in scene metres. */
export function forEachParcel(l: SceneLayout, fn: (p: Parcel, ring: SceneXY[], row: number, col: number) => void): void {
  l.rows.forEach((row, i) => {
    const v0 = l.vEdges[i],
      v1 = l.vEdges[i + 1];
    row.parcels.forEach((p, j) => {
      const u0 = row.uEdges[j],
        u1 = row.uEdges[j + 1];
      const ring = [uvToXy(l, u0, v0), uvToXy(l, u1, v0), uvToXy(l, u1, v1), uvToXy(l, u0, v1)];
      const [x0, y0, x1, y1] = ringExtent(ring);
      if (x1 < 0 || y1 < 0 || x0 > l.widthM || y0 > l.heightM) return;
      fn(p, ring, i, j);
    });
  });
}

function ringExtent(ring: SceneXY[]): [number, number, number, number] {
  const xs = ring.map((p) => p[0]),
    ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** True when (x, y) is inside a convex ring at least `marginM` from its edges. */
export function insideRing(ring: SceneXY[], x: number, y: number, marginM: number): boolean {
  let sign = 0;
  for (let i = 0; i < ring.length; i++) {
    const [ax, ay] = ring[i],
      [bx, by] = ring[(i + 1) % ring.length];
    const len = Math.hypot(bx - ax, by - ay);
    const cross = ((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / len;
    if (sign === 0) sign = Math.sign(cross);
    if (cross * sign < marginM) return false;
  }
  return true;
}

export { ringAreaM2 };
