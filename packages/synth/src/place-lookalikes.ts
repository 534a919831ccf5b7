import type { Prng } from './prng';
import { Cover, Kind, type SceneObject, type SceneXY, type TruthLookalike } from './scene-types';
import { blobRingXY, makeObject, shapeHit, shapeRing } from './shapes';
import { forEachParcel, insideRing, type SceneLayout } from './scene-layout';

const ORNAMENTAL_FLOWERS: Array<[number, number, number]> = [
  [236, 200, 40],
  [240, 130, 30],
  [215, 40, 50],
  [240, 150, 190],
  [245, 245, 240],
  [150, 70, 170],
  [250, 230, 90],
];

/** What every placer needs: the layout, the field rings and courtyards to place into, and how to record truth. */
interface Placing {
  l: SceneLayout;
  r: Prng;
  /** Outer rings of the parcels that are fields (not village ground, not orchard). */
  fields: SceneXY[][];
  yards: SceneObject[];
  /** Whether every point of a ring lies inside the scene and on no other object (courtyards and shadows allowed). */
  free(pts: SceneXY[]): boolean;
  /** Records a look-alike in the truth. */
  add(what: TruthLookalike['what'], ring: SceneXY[]): void;
}

/**
 * Places the things that must not be flagged: ornamental flower beds, corn poppy, roses, red and blue
 * tarps; records them, and the brassica, garlic and mulch parcels, as look-alike truth.
 */
export function placeLookalikes(l: SceneLayout, r: Prng): void {
  const add = (what: TruthLookalike['what'], ring: SceneXY[]) => l.lookalikes.push({ id: `la-${l.lookalikes.length + 1}`, what, ring });
  const fields = recordCropLookalikes(l, add);
  if (!fields.length) return;
  const yards = l.objects.filter((o) => o.kind === Kind.Courtyard);
  const p: Placing = { l, r, fields, yards, free: (pts) => isFree(l, pts), add };
  // The order is the draw order of the random stream: changing it changes every scene.
  placeOrnamentalBeds(p);
  placeCornPoppy(p);
  placeRoses(p);
  placeTarps(p);
}

/** Records brassica, garlic and mulch parcels as look-alikes; returns the rings of the field parcels. */
function recordCropLookalikes(l: SceneLayout, add: Placing['add']): SceneXY[][] {
  const fields: SceneXY[][] = [];
  forEachParcel(l, (p, ring) => {
    if (p.cover === Cover.Brassica) add('brassica', ring);
    if (p.cover === Cover.Garlic) add('garlic', ring);
    if (p.cover === Cover.Mulch) add('plastic_mulch', ring);
    if (p.cover !== Cover.VillageGround && p.cover !== Cover.Orchard) fields.push(ring);
  });
  return fields;
}

function isFree(l: SceneLayout, pts: SceneXY[]): boolean {
  return pts.every(
    ([x, y]) =>
      x > 1 &&
      y > 1 &&
      x < l.widthM - 1 &&
      y < l.heightM - 1 &&
      !l.objects.some(
        (o) =>
          o.kind !== Kind.Courtyard &&
          o.kind !== Kind.Shadow &&
          x >= o.bbox[0] &&
          x <= o.bbox[2] &&
          y >= o.bbox[1] &&
          y <= o.bbox[3] &&
          shapeHit(o.shape, x, y),
      ),
  );
}

/** Ornamental beds: in courtyards and along the road, dense mixed flowers on green foliage. */
function placeOrnamentalBeds({ l, r, fields, yards, free, add }: Placing): void {
  const nBeds = r.int(1, 4);
  for (let k = 0, tries = 0; k < nBeds && tries < 40; tries++) {
    let cx: number, cy: number;
    if (yards.length && r.chance(0.6)) {
      const y = r.pick(yards);
      if (y.shape.type !== 'rect') continue;
      cx = y.shape.cx + r.range(-y.shape.hw + 1.5, y.shape.hw - 1.5);
      cy = y.shape.cy + r.range(-y.shape.hh + 1.5, y.shape.hh - 1.5);
    } else {
      const f = r.pick(fields);
      [cx, cy] = f[0];
      cx += r.range(-4, 4);
      cy += r.range(-4, 4);
    }
    const shape = { type: 'rect' as const, cx, cy, hw: r.range(0.6, 2.2), hh: r.range(0.4, 1.2), cos: l.cos, sin: l.sin };
    const ring = shapeRing(shape);
    if (!free(ring)) continue;
    l.objects.push(
      makeObject({
        kind: Kind.Ornamental,
        z: 11,
        shape,
        colour: [r.int(55, 80), r.int(110, 135), r.int(40, 60)],
        colour2: r.pick(ORNAMENTAL_FLOWERS),
        seed: r.int(0, 1e9),
        density: r.range(0.5, 0.9),
        cellM: r.range(0.15, 0.25),
      }),
    );
    add('ornamental_bed', ring);
    k++;
  }
}

/** Corn poppy along field margins: sparse red flowers on bright green foliage. */
function placeCornPoppy({ l, r, fields, free, add }: Placing): void {
  const nCorn = r.int(0, 3);
  for (let k = 0, tries = 0; k < nCorn && tries < 30; tries++) {
    const f = r.pick(fields);
    const t = r.next();
    const c: SceneXY = [f[0][0] + (f[1][0] - f[0][0]) * t, f[0][1] + (f[1][1] - f[0][1]) * t];
    const ring = blobRingXY(c[0], c[1], r.range(2, 20), r.range(2, 5), Math.atan2(l.sin, l.cos), r.next);
    if (!free(ring)) continue;
    l.objects.push(
      makeObject({
        kind: Kind.CornPoppy,
        z: 9,
        shape: { type: 'poly', ring },
        colour: [r.int(80, 100), r.int(138, 158), r.int(45, 62)],
        colour2: [r.int(200, 225), r.int(30, 55), r.int(25, 40)],
        seed: r.int(0, 1e9),
        density: r.range(0.15, 0.5),
        cellM: r.range(0.18, 0.3),
      }),
    );
    add('corn_poppy', [...ring, ring[0]]);
    k++;
  }
}

/** Rose bushes near houses. */
function placeRoses({ l, r, yards, free, add }: Placing): void {
  const nRose = yards.length ? r.int(0, 4) : 0;
  for (let k = 0, tries = 0; k < nRose && tries < 30; tries++) {
    const y = r.pick(yards);
    if (y.shape.type !== 'rect') continue;
    const cx = y.shape.cx + r.range(-y.shape.hw, y.shape.hw) * 1.3,
      cy = y.shape.cy + y.shape.hh * r.range(0.9, 1.4);
    const shape = { type: 'circle' as const, cx, cy, r: r.range(0.4, 0.9) };
    if (!free(shapeRing(shape))) continue;
    l.objects.push(
      makeObject({
        kind: Kind.Rose,
        z: 12,
        shape,
        colour: [r.int(38, 55), r.int(75, 95), r.int(35, 48)],
        colour2: r.chance(0.5) ? [200, 30, 50] : [235, 130, 165],
        seed: r.int(0, 1e9),
        density: r.range(0.3, 0.6),
        cellM: 0.2,
      }),
    );
    add('roses', shapeRing(shape));
    k++;
  }
}

/** Tarps: red (and blue) plastic sheets on fields and yards; only the red ones are look-alikes. */
function placeTarps({ l, r, fields, free, add }: Placing): void {
  const nTarp = r.int(0, 2);
  for (let k = 0, tries = 0; k < nTarp && tries < 30; tries++) {
    const f = r.pick(fields);
    const c = f[0];
    const cx = c[0] + r.range(-15, 15),
      cy = c[1] + r.range(-15, 15);
    const shape = { type: 'rect' as const, cx, cy, hw: r.range(1, 3), hh: r.range(0.8, 2.5), cos: Math.cos(r.range(0, 3)), sin: 0 };
    shape.sin = Math.sqrt(1 - shape.cos * shape.cos);
    const ring = shapeRing(shape);
    if (!free(ring) || !insideRing(f, cx, cy, -50)) continue;
    const red = r.chance(0.7);
    l.objects.push(
      makeObject({
        kind: Kind.Tarp,
        z: 13,
        shape,
        colour: red ? [r.int(175, 210), r.int(30, 55), r.int(30, 50)] : [40, 90, 170],
        colour2: [0, 0, 0],
        seed: r.int(0, 1e9),
        density: 0,
      }),
    );
    if (red) add('red_tarp', ring);
    k++;
  }
}
