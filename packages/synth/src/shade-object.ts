import { hash2 } from './prng';
import { Kind, type SceneObject } from './scene-types';
import { set } from './shade-cover';
import { POPPY_FLOWERS } from './place-poppy';
import { shadeIntercrop, type BroadPlant, type PlantVariant } from './variety';

const ORN: Array<[number, number, number]> = [
  [236, 200, 40],
  [240, 130, 30],
  [215, 40, 50],
  [240, 150, 190],
  [245, 245, 240],
  [150, 70, 170],
];

/** Colour of an overlay object at scene point (x, y), written to `out` as RGB floats. */
export function shadeObject(o: SceneObject, x: number, y: number, lf: number, out: Float64Array): void {
  const fine = hash2(Math.floor(x * 30), Math.floor(y * 30), o.seed);
  const c = o.colour;
  switch (o.kind) {
    case Kind.Poppy:
    case Kind.PoppyCapsule:
      if (o.plant) return shadeWidePoppy(o, x, y, fine, out);
      return shadePlants(o, x, y, fine, out);
    case Kind.CornPoppy:
    case Kind.Ornamental:
    case Kind.Rose:
      return shadePlants(o, x, y, fine, out);
    case Kind.Tree:
    case Kind.BlossomTree: {
      if (o.shape.type !== 'circle') return set(out, c[0], c[1], c[2], fine, 10);
      const dx = (x - o.shape.cx) / o.shape.r,
        dy = (y - o.shape.cy) / o.shape.r;
      const k = 1.15 - 0.35 * Math.sqrt(dx * dx + dy * dy) - 0.2 * dy;
      const leaf = hash2(Math.floor(x * 12), Math.floor(y * 12), o.seed);
      if (o.kind === Kind.BlossomTree && leaf < o.density) {
        const c2 = o.colour2;
        return set(out, c2[0] * (0.85 + 0.15 * k), c2[1] * (0.85 + 0.15 * k), c2[2] * (0.85 + 0.15 * k), fine, 18);
      }
      const lk = k * (0.75 + 0.5 * leaf);
      return set(out, c[0] * lk, c[1] * lk, c[2] * lk, fine, 10);
    }
    case Kind.Building: {
      if (o.shape.type !== 'rect') return set(out, c[0], c[1], c[2], fine, 8);
      const dx = x - o.shape.cx,
        dy = y - o.shape.cy;
      const v = -dx * o.shape.sin + dy * o.shape.cos;
      const ridge = Math.abs(v) < 0.18;
      const side = v < 0 ? 1.08 : 0.9;
      if (ridge) return set(out, o.colour2[0], o.colour2[1], o.colour2[2], fine, 6);
      const tile = v * 5 - Math.floor(v * 5) < 0.2 ? 0.92 : 1;
      return set(out, c[0] * side * tile, c[1] * side * tile, c[2] * side * tile, fine, 8);
    }
    case Kind.Courtyard: {
      if (o.shape.type === 'rect') {
        const dx = x - o.shape.cx,
          dy = y - o.shape.cy;
        const u = dx * o.shape.cos + dy * o.shape.sin,
          v = -dx * o.shape.sin + dy * o.shape.cos;
        if (o.shape.hw - Math.abs(u) < 0.25 || o.shape.hh - Math.abs(v) < 0.25) return set(out, o.colour2[0], o.colour2[1], o.colour2[2], fine, 8);
      }
      return set(out, c[0] * (0.92 + 0.16 * lf), c[1] * (0.92 + 0.16 * lf), c[2] * (0.92 + 0.16 * lf), fine, 12);
    }
    case Kind.Road:
      return set(out, c[0] * (0.94 + 0.1 * lf), c[1] * (0.94 + 0.1 * lf), c[2] * (0.94 + 0.1 * lf), fine, 14);
    case Kind.Track: {
      const k = fine < 0.15 ? 0.85 : 1;
      return set(out, c[0] * k * (0.9 + 0.2 * lf), c[1] * k * (0.9 + 0.2 * lf), c[2] * k * (0.9 + 0.2 * lf), fine, 14);
    }
    case Kind.Pond:
      return set(out, c[0] + 12 * lf, c[1] + 12 * lf, c[2] + 10 * lf, fine, 4);
    case Kind.Tarp: {
      const k = 0.85 + 0.3 * lf;
      return set(out, c[0] * k, c[1] * k, c[2] * k, fine, 8);
    }
    default:
      return set(out, c[0], c[1], c[2], fine, 8);
  }
}

/** Plants on a jittered lattice: foliage discs with flowers (or capsules) on some of them. */
function shadePlants(o: SceneObject, x: number, y: number, fine: number, out: Float64Array): void {
  const cell = o.cellM ?? 0.2;
  const ix = Math.floor(x / cell),
    iy = Math.floor(y / cell);
  const h1 = hash2(ix, iy, o.seed),
    h2 = hash2(iy, ix, o.seed + 1),
    h3 = hash2(ix + 7, iy - 3, o.seed + 2);
  const px = (ix + 0.25 + 0.5 * h1) * cell,
    py = (iy + 0.25 + 0.5 * h2) * cell;
  const dx = x - px,
    dy = y - py;
  const d = Math.sqrt(dx * dx + dy * dy);
  const c = o.colour;
  const rf = cell * (0.42 + 0.2 * h3);
  const dens = Math.abs(o.density);
  if (o.kind === Kind.PoppyCapsule) {
    if (d < 0.028 && h3 < 0.85) return set(out, c[0] * 1.3, c[1] * 1.22, c[2] * 1.18, fine, 10);
    if (d < 0.04 && h3 > 0.96) {
      const f = o.colour2;
      return set(out, f[0], f[1], f[2], fine, 10);
    }
  } else if (h1 * 0.7 + h3 * 0.3 < dens) {
    const fr = o.kind === Kind.Rose ? 0.035 : o.kind === Kind.CornPoppy ? 0.03 : 0.03 + 0.025 * h2;
    const fx = dx - (h3 - 0.5) * cell * 0.3,
      fy = dy - (h1 - 0.5) * cell * 0.3;
    if (fx * fx + fy * fy < fr * fr) {
      let f = o.colour2;
      if (o.kind === Kind.Poppy && o.density < 0) f = POPPY_FLOWERS[Math.floor(h2 * 4)].rgb;
      else if (o.kind === Kind.Ornamental && h2 < 0.5) f = ORN[Math.floor(h2 * 12)];
      return set(out, f[0], f[1], f[2], fine, 14);
    }
  }
  if (d < rf) {
    const k = 1.1 - (0.3 * d) / rf;
    return set(out, c[0] * k, c[1] * k, c[2] * k, fine, 16);
  }
  // Between plants: leaves of neighbours and soil.
  if (fine < 0.45) return set(out, c[0] * 0.8, c[1] * 0.8, c[2] * 0.8, fine, 12);
  return set(out, 104, 86, 66, fine, 12);
}

/**
 * A wide-world poppy plot: an intercrop over it where it stands, then plants in rows or broadcast; rosettes of
 * lobed glaucous leaves before flowering, flowers of the plot's palette (with the dark-green capsule at their
 * centre), or capsules; soil and leaves between plants. Broad plots (p.broad): a carpet of flowers over all,
 * plants of their own size, leaves and soil of their own share and colour, flowers varying in brightness.
 */
function shadeWidePoppy(o: SceneObject, x: number, y: number, fine: number, out: Float64Array): void {
  const p = o.plant!;
  const b = p.broad;
  if (p.intercrop && shadeIntercrop(p.intercrop, p.rows, x, y, out)) return set(out, out[0], out[1], out[2], fine, 12);
  const rows = p.rows;
  const u = rows ? x * rows.cos + y * rows.sin : x,
    v = rows ? -x * rows.sin + y * rows.cos : y;
  if (b?.carpet && shadeCarpetFlower(o, p, b, u, v, fine, out)) return;
  const cu = rows ? rows.plantM : (o.cellM ?? 0.2),
    cv = rows ? rows.rowM : cu;
  const iu = Math.floor(u / cu),
    iv = Math.floor(v / cv);
  const h1 = hash2(iu, iv, o.seed),
    h2 = hash2(iv, iu, o.seed + 1),
    h3 = hash2(iu + 7, iv - 3, o.seed + 2);
  const pu = (iu + 0.25 + 0.5 * h1) * cu,
    pv = rows ? (iv + 0.5 + 0.15 * (h2 - 0.5)) * cv : (iv + 0.25 + 0.5 * h2) * cv;
  const du = u - pu,
    dv = v - pv;
  const d = Math.sqrt(du * du + dv * dv);
  const c = o.colour;
  const rf = (rows ? Math.min(cv * 0.45, Math.max(cu, 0.1) * (0.9 + 0.5 * h3)) : cu * (0.42 + 0.2 * h3)) * (b?.plantScale ?? 1);
  if (p.rosette) {
    const lobe = 0.75 + 0.25 * Math.cos(5 * Math.atan2(dv, du) + h1 * 6.28);
    const rr = rf * (1.1 + 0.25 * h3) * lobe;
    if (d < rr) {
      const k = 1.12 - 0.28 * (d / rr);
      return set(out, c[0] * k, c[1] * k, c[2] * k, fine, 12);
    }
  } else if (o.kind === Kind.PoppyCapsule) {
    if (d < 0.028 && h3 < 0.85) return set(out, c[0] * 1.3, c[1] * 1.22, c[2] * 1.18, fine, 10);
  } else if (h1 * 0.7 + h3 * 0.3 < o.density) {
    const fr = (0.03 + 0.025 * h2) * p.flowerScale;
    const fx = du - (h3 - 0.5) * cu * 0.3,
      fy = dv - (h1 - 0.5) * cv * 0.3;
    const f2 = fx * fx + fy * fy;
    if (f2 < fr * fr) {
      if (f2 < fr * fr * 0.06) return set(out, 150, 158, 92, fine, 10);
      const f = p.palette[Math.floor(hash2(iu, iv, o.seed + 3) * p.palette.length)];
      const j = b ? 1 + b.flowerJitter * (hash2(iu, iv, o.seed + 4) - 0.5) * 2 : 1;
      return set(out, f[0] * j, f[1] * j, f[2] * j, fine, 14);
    }
  }
  if (d < rf) {
    const k = 1.1 - (0.3 * d) / rf;
    return set(out, c[0] * k, c[1] * k, c[2] * k, fine, 16);
  }
  if (fine < (b?.leafShare ?? 0.35)) return set(out, c[0] * 0.8, c[1] * 0.8, c[2] * 0.8, fine, 12);
  const s = b?.soil ?? WIDE_SOIL;
  return set(out, s[0], s[1], s[2], fine, 12);
}

const WIDE_SOIL: [number, number, number] = [104, 86, 66];

/**
 * A broad plot at full bloom: flowers on a lattice finer than the plants (several a plant), each cell in flower
 * with the carpet's share, petals of the plot's palette around a green-yellow centre. False where no flower is.
 */
function shadeCarpetFlower(o: SceneObject, p: PlantVariant, b: BroadPlant, u: number, v: number, fine: number, out: Float64Array): boolean {
  const cm = b.carpet!.cellM;
  const iu = Math.floor(u / cm),
    iv = Math.floor(v / cm);
  const h = hash2(iu, iv, o.seed + 5);
  if (h >= b.carpet!.share) return false;
  const h2 = hash2(iv, iu, o.seed + 6),
    h3 = hash2(iu + 3, iv - 5, o.seed + 7);
  const du = u - (iu + 0.2 + 0.6 * h2) * cm,
    dv = v - (iv + 0.2 + 0.6 * h3) * cm;
  const fr = cm * (0.4 + 0.25 * h2);
  const f2 = du * du + dv * dv;
  if (f2 >= fr * fr) return false;
  if (f2 < fr * fr * 0.06) {
    set(out, 150, 158, 92, fine, 10);
    return true;
  }
  const f = p.palette[Math.floor(hash2(iu, iv, o.seed + 8) * p.palette.length)];
  const j = 1 + b.flowerJitter * (h3 - 0.5) * 2;
  set(out, f[0] * j, f[1] * j, f[2] * j, fine, 14);
  return true;
}
