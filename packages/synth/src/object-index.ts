import type { SceneObject } from './scene-types';

/** A uniform grid over the scene listing, per cell, the objects whose bbox touches it (highest z first). */
export interface ObjectIndex {
  cellM: number;
  nx: number;
  ny: number;
  cells: Int32Array[];
}

const EMPTY = new Int32Array(0);

/** Builds the object grid index for fast per-pixel lookup. */
export function buildObjectIndex(objects: readonly SceneObject[], widthM: number, heightM: number, cellM = 6): ObjectIndex {
  const nx = Math.max(1, Math.ceil(widthM / cellM));
  const ny = Math.max(1, Math.ceil(heightM / cellM));
  const lists: number[][] = Array.from({ length: nx * ny }, () => []);
  const order = objects.map((_, i) => i).sort((a, b) => objects[b].z - objects[a].z || a - b);
  for (const i of order) {
    const [x0, y0, x1, y1] = objects[i].bbox;
    const cx0 = Math.max(0, Math.floor(x0 / cellM)),
      cx1 = Math.min(nx - 1, Math.floor(x1 / cellM));
    const cy0 = Math.max(0, Math.floor(y0 / cellM)),
      cy1 = Math.min(ny - 1, Math.floor(y1 / cellM));
    for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) lists[cy * nx + cx].push(i);
  }
  return { cellM, nx, ny, cells: lists.map((l) => (l.length ? Int32Array.from(l) : EMPTY)) };
}
