/**
 * The `wide` world (scene option `variety: 'wide'`): domain randomisation so a model trained here learns poppy,
 * not this renderer. Poppy as it occurs (more flower colours, pre-flowering rosettes, sparse to dense, rows or
 * broadcast, intercropped under maize, beans or fruit trees, irregular plots, part shade) and the camera and its
 * processing (white balance, exposure, haze, JPEG, resampling, motion blur, vignetting and seamlines of an
 * orthomosaic's photos, sun angle). The `classic` world (default) draws none of this, so its pixels and truth are
 * unchanged.
 */
import { createPrng, hash2, type Prng } from './prng';
import { valueNoise } from './noise';
import type { SceneLook } from './scene-types';

/** Flower colours of opium poppy in the wide world: the classic four and the lilac, crimson and scarlet forms. */
export const WIDE_FLOWERS: Array<{ name: string; rgb: [number, number, number] }> = [
  { name: 'white', rgb: [242, 240, 236] },
  { name: 'pink', rgb: [236, 140, 178] },
  { name: 'red', rgb: [205, 28, 42] },
  { name: 'purple', rgb: [142, 58, 150] },
  { name: 'lilac', rgb: [196, 160, 214] },
  { name: 'crimson', rgb: [150, 18, 48] },
  { name: 'scarlet', rgb: [232, 74, 44] },
];

/** Camera and processing of a wide scene, on top of the classic look's light, haze, blur and noise. */
export interface CameraLook {
  /** Exposure curve: out = 255 (v / 255) ^ gamma. */
  gamma: number;
  /** Blur direction: both axes (focus) or one (motion along a flight line). */
  blurAxis: 'xy' | 'x' | 'y';
  /** Size of one photo's footprint in the orthomosaic (m): vignetting and seamlines repeat with it. */
  photoM: number;
  /** Darkening at a photo's corner (0 none). */
  vignette: number;
  /** Brightness (and a little colour) difference between neighbouring photos (0 none): seamlines. */
  seam: number;
  /** Nearest-neighbour resampling by this factor (1 none): duplicated pixels, as after an upsampling warp. */
  resampleK: number;
}

/** Draws the wide world's look (its own stream, so the layout of a seed stays the classic one). */
export function wideLook(seed: number): SceneLook {
  const r = createPrng((seed ^ 0x6a09e667) >>> 0);
  const sunAz = r.range(0, 2 * Math.PI),
    sunLen = r.range(0.15, 1.6); // shadow direction and length per m of height
  return {
    brightness: r.range(0.62, 1.32),
    tint: [r.range(0.82, 1.18), r.range(0.9, 1.1), r.range(0.8, 1.2)],
    haze: r.chance(0.5) ? r.range(0.03, 0.35) : 0,
    blur: r.chance(0.55) ? r.range(0.05, 0.33) : 0,
    noise: r.range(2, 10),
    shadowDx: Math.sin(sunAz) * sunLen,
    shadowDy: Math.cos(sunAz) * sunLen,
    jpegQuality: r.int(35, 92),
    camera: {
      gamma: r.range(0.7, 1.4),
      blurAxis: r.chance(0.6) ? 'xy' : r.chance(0.5) ? 'x' : 'y',
      photoM: r.range(25, 90),
      vignette: r.chance(0.6) ? r.range(0.05, 0.45) : 0,
      seam: r.chance(0.6) ? r.range(0.02, 0.14) : 0,
      resampleK: r.chance(0.3) ? r.range(1.25, 2) : 1,
    },
  };
}

/**
 * Gain of each channel from the photo the orthomosaic took point (x, y) from (scene metres): vignetting towards
 * the photo's corners, and each photo's own exposure and white balance, so seamlines show where photos meet.
 * Photo edges wander (value noise), as seamlines cut along irregular paths.
 */
export function photoGain(cam: CameraLook, seed: number, x: number, y: number, out: Float64Array): void {
  const p = cam.photoM;
  const wx = x + (valueNoise(y / 12, 0.5, seed) - 0.5) * 0.3 * p,
    wy = y + (valueNoise(x / 12, 7.5, seed) - 0.5) * 0.3 * p;
  const cx = Math.floor(wx / p),
    cy = Math.floor(wy / p);
  const fx = wx / p - cx - 0.5,
    fy = wy / p - cy - 0.5;
  const v = 1 - cam.vignette * 2 * (fx * fx + fy * fy);
  const g = 1 + cam.seam * (hash2(cx, cy, seed) - 0.5) * 2;
  const t = cam.seam * 0.4;
  out[0] = v * g * (1 + t * (hash2(cx, cy, seed + 1) - 0.5) * 2);
  out[1] = v * g;
  out[2] = v * g * (1 + t * (hash2(cx, cy, seed + 2) - 0.5) * 2);
}

/** How a wide plot's plants grow: stage, sowing, flowers, intercrop and shade. */
export interface PlantVariant {
  /** Pre-flowering rosettes of glaucous blue-green leaves (no flowers, no capsules). */
  rosette: boolean;
  /** Sown in rows (row direction cos/sin, spacing between rows and along them, m); else broadcast. */
  rows?: { cos: number; sin: number; rowM: number; plantM: number };
  /** Flower colours drawn from (one for a single-colour plot). */
  palette: Array<[number, number, number]>;
  /** Flower size factor (double, peony-like forms are larger). */
  flowerScale: number;
  /** A crop standing over the poppy: maize or beans on their own lattice (m), drawn above the poppy. */
  intercrop?: { kind: 'maize' | 'beans'; cellM: number; rowM: number; seed: number };
  /** Shadows of trees and houses fall on it (classic plots are never dimmed). */
  shaded: boolean;
  /** The broad world's further looks (scene option variety `broad`); absent in the wide world. */
  broad?: BroadPlant;
}

/**
 * How a broad-world plot looks beyond the wide world: the soil between its plants, how much of it leaves cover,
 * plant size (seedlings to full grown), a carpet of flowers at full bloom, and how much each flower's colour
 * varies. Poppy in bloom can hide its leaves under petals, and a sparse or young stand shows mostly bare soil
 * of whatever colour the field has; the wide world drew neither.
 */
export interface BroadPlant {
  /** Bare soil between plants (RGB). */
  soil: [number, number, number];
  /** Share of the ground between plants under leaves (0-1; the wide world's 0.35). */
  leafShare: number;
  /** Plant size factor (0.45 seedlings to 1.25 large plants). */
  plantScale: number;
  /** Flowers at full bloom beyond one a plant: a finer lattice of flowers (cell m, share of cells in flower). */
  carpet?: { cellM: number; share: number };
  /** Brightness spread of single flowers (0 none). */
  flowerJitter: number;
}

/** Soils of fields poppy grows in: brown, grey, reddish, yellowish, pale, dark, mauve-grey loess. */
const SOILS: Array<[number, number, number]> = [
  [104, 86, 66],
  [126, 122, 114],
  [148, 96, 72],
  [160, 138, 96],
  [182, 170, 148],
  [72, 62, 52],
  [142, 120, 118],
];

/** Draws a broad-world plot's further looks (see BroadPlant); a carpet of bloom for half the flowering plots. */
export function drawBroadPlant(r: Prng, stage: PlantTruth['stage']): BroadPlant {
  const s = SOILS[r.int(0, SOILS.length - 1)];
  const k = r.range(0.85, 1.15);
  return {
    soil: [s[0] * k, s[1] * k, s[2] * k],
    leafShare: r.range(0.02, 0.7),
    plantScale: r.range(0.45, 1.25),
    carpet: stage === 'flowering' && r.chance(0.5) ? { cellM: r.range(0.05, 0.11), share: r.range(0.45, 1) } : undefined,
    flowerJitter: r.range(0, 0.35),
  };
}

/** The truth's words for a wide plot: stage, sowing and what grows with it. */
export interface PlantTruth {
  stage: 'flowering' | 'capsule' | 'rosette';
  sowing: 'rows' | 'broadcast';
  intercrop?: 'maize' | 'beans' | 'fruit_trees';
}

/** Draws how a wide plot grows (stage weights: flowering 0.5, capsule 0.25, rosette 0.25). */
export function drawPlantVariant(
  r: Prng,
  gridCos: number,
  gridSin: number,
): { variant: PlantVariant; truth: PlantTruth; colours: string[]; densityPerM2: number; flowerShare: number; fruitTrees: boolean } {
  const u = r.next();
  const stage: PlantTruth['stage'] = u < 0.5 ? 'flowering' : u < 0.75 ? 'capsule' : 'rosette';
  const rowsSown = r.chance(0.5);
  const rowM = r.range(0.25, 0.5),
    plantM = r.range(0.08, 0.2);
  const densityPerM2 = rowsSown ? 1 / (rowM * plantM) : r.range(4, 50);
  const mixed = r.chance(0.45);
  const first = r.int(0, WIDE_FLOWERS.length - 1);
  const chosen = mixed ? WIDE_FLOWERS.filter((_, i) => i === first || r.chance(0.5)) : [WIDE_FLOWERS[first]];
  const ic = r.next();
  const intercrop = ic < 0.12 ? 'maize' : ic < 0.22 ? 'beans' : ic < 0.3 ? 'fruit_trees' : undefined;
  const turn = r.chance(0.7) ? 0 : Math.PI / 2;
  const variant: PlantVariant = {
    rosette: stage === 'rosette',
    rows: rowsSown ? { cos: Math.cos(Math.atan2(gridSin, gridCos) + turn), sin: Math.sin(Math.atan2(gridSin, gridCos) + turn), rowM, plantM } : undefined,
    palette: chosen.map((f) => f.rgb),
    flowerScale: r.chance(0.25) ? r.range(1.2, 1.6) : 1,
    intercrop:
      intercrop === 'maize'
        ? { kind: 'maize', cellM: r.range(0.25, 0.4), rowM: r.range(0.6, 0.9), seed: r.int(0, 1e9) }
        : intercrop === 'beans'
          ? { kind: 'beans', cellM: r.range(0.3, 0.45), rowM: r.range(0.4, 0.6), seed: r.int(0, 1e9) }
          : undefined,
    shaded: true,
  };
  return {
    variant,
    colours: stage === 'flowering' ? chosen.map((f) => f.name) : [],
    densityPerM2,
    flowerShare: r.range(0.15, 0.95),
    fruitTrees: intercrop === 'fruit_trees',
    truth: { stage, sowing: rowsSown ? 'rows' : 'broadcast', ...(intercrop ? { intercrop } : {}) },
  };
}

/** Glaucous blue-green of pre-flowering poppy leaves, and the capsule stage's paler green. */
export function drawLeafColour(r: Prng, stage: PlantTruth['stage']): [number, number, number] {
  if (stage === 'rosette') return [r.int(98, 126), r.int(138, 162), r.int(136, 160)];
  if (stage === 'capsule') return [r.int(112, 142), r.int(140, 166), r.int(118, 144)];
  return [r.int(96, 126), r.int(134, 160), r.int(120, 148)];
}

/**
 * Colour of an intercrop standing over the poppy at (x, y), or false where the poppy shows through: maize as
 * a star of long leaves per plant, beans as round bushes, on rows of their own.
 */
export function shadeIntercrop(
  ic: NonNullable<PlantVariant['intercrop']>,
  rows: { cos: number; sin: number } | undefined,
  x: number,
  y: number,
  out: Float64Array,
): boolean {
  const c = rows?.cos ?? 1,
    s = rows?.sin ?? 0;
  const u = x * c + y * s,
    v = -x * s + y * c;
  const iu = Math.floor(u / ic.cellM),
    iv = Math.floor(v / ic.rowM);
  const h = hash2(iu, iv, ic.seed);
  const du = u - (iu + 0.5) * ic.cellM - (h - 0.5) * 0.2 * ic.cellM,
    dv = v - (iv + 0.5) * ic.rowM;
  const d = Math.sqrt(du * du + dv * dv);
  if (ic.kind === 'beans') {
    const rad = ic.cellM * (0.3 + 0.25 * h);
    if (d > rad) return false;
    const k = 0.85 + 0.25 * hash2(Math.floor(x * 40), Math.floor(y * 40), ic.seed);
    out[0] = 58 * k;
    out[1] = 104 * k;
    out[2] = 44 * k;
    return true;
  }
  const rad = ic.rowM * (0.45 + 0.15 * h);
  if (d > rad) return false;
  const a = Math.atan2(dv, du) + h * 6.28;
  const leaf = Math.abs(Math.sin(a * 3)) > 0.55 + 0.35 * (d / rad);
  if (!leaf && d > 0.06) return false;
  const k = 1.08 - 0.3 * (d / rad);
  out[0] = 92 * k;
  out[1] = 136 * k;
  out[2] = 52 * k;
  return true;
}
