/** Shared types of the synthetic scene: geometry is in scene metres, x east, y south, origin top-left. */
import type { CameraLook, PlantVariant } from './variety';

/** [x, y] in scene metres. */
export type SceneXY = [number, number];

/** Crop / cover of a field parcel. */
export const enum Cover {
  Soil = 0,
  Ploughed = 1,
  Wheat = 2,
  Rapeseed = 3,
  Vegetables = 4,
  Brassica = 5,
  Garlic = 6,
  Orchard = 7,
  Tea = 8,
  Mulch = 9,
  Fallow = 10,
  VillageGround = 11,
  Water = 12,
}

/** What an overlay object draws. Poppy kinds are the only positives. */
export const enum Kind {
  Poppy = 0,
  PoppyCapsule = 1,
  Road = 2,
  Track = 3,
  Building = 4,
  Courtyard = 5,
  Tree = 6,
  BlossomTree = 7,
  Shadow = 8,
  Ornamental = 9,
  CornPoppy = 10,
  Rose = 11,
  Tarp = 12,
  Pond = 13,
}

/** Geometry of an overlay object. */
export type Shape =
  | { type: 'circle'; cx: number; cy: number; r: number }
  | { type: 'rect'; cx: number; cy: number; hw: number; hh: number; cos: number; sin: number }
  | { type: 'poly'; ring: SceneXY[] }
  | { type: 'line'; pts: SceneXY[]; halfWidth: number };

/** An object drawn over the parcels (higher z wins). */
export interface SceneObject {
  kind: Kind;
  z: number;
  shape: Shape;
  bbox: [number, number, number, number];
  /** Colour or palette index, meaning depends on kind. */
  colour: [number, number, number];
  /** Second colour (flowers, roof ridge…). */
  colour2: [number, number, number];
  /** Per-object texture seed. */
  seed: number;
  /** Density / fraction parameter (flowers per plant, blossom cover…). */
  density: number;
  /** Plant lattice cell in metres (plant-like kinds). */
  cellM?: number;
  /** Wide world only: how a poppy plot grows (rosettes, rows, palette, intercrop, shade). */
  plant?: PlantVariant;
}

/** A field parcel of the rotated field grid. */
export interface Parcel {
  cover: Cover;
  seed: number;
  /** Row direction of crops inside the parcel: 0 along u, 1 along v. */
  rowAxis: 0 | 1;
  rowSpacingM: number;
  tint: number;
}

/** The place of a poppy plot in the landscape, as the issue lists them. */
export type PlotSetting = 'open_field' | 'in_crop' | 'field_edge' | 'tree_edge' | 'courtyard';

/** Ground truth of one poppy plot. */
export interface TruthPlot {
  id: string;
  stage: 'flowering' | 'capsule' | 'rosette';
  setting: PlotSetting;
  /** Wide world only: rows or broadcast sowing, and a crop or trees standing over the poppy. */
  sowing?: 'rows' | 'broadcast';
  intercrop?: 'maize' | 'beans' | 'fruit_trees';
  ring: SceneXY[];
  areaM2: number;
  plantCount: number;
  flowerColours: string[];
}

/** Ground truth of one look-alike (never to be flagged). */
export interface TruthLookalike {
  id: string;
  what: 'ornamental_bed' | 'corn_poppy' | 'roses' | 'blossom' | 'red_tarp' | 'red_roof' | 'plastic_mulch' | 'brassica' | 'garlic';
  ring: SceneXY[];
}

/** Global look of a scene: light, haze, blur, noise. */
export interface SceneLook {
  brightness: number;
  tint: [number, number, number];
  haze: number;
  blur: number;
  noise: number;
  shadowDx: number;
  shadowDy: number;
  jpegQuality: number;
  /** Wide world only: exposure, motion blur, vignetting, seamlines, resampling. */
  camera?: CameraLook;
}
