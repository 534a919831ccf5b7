import proj4 from 'proj4';
import type { Crs } from './crs';
import { CrsError } from './errors';

/** A pair of coordinate functions between two CRSs; x/y are [lon, lat] in degrees for geographic CRSs. */
export interface Transformer {
  forward(xy: readonly [number, number]): [number, number];
  inverse(xy: readonly [number, number]): [number, number];
}

/** Treats CGCS2000 as WGS 84: both are longlat on (practically) the same ellipsoid with no datum shift. */
function defOf(crs: Crs): string {
  return crs.proj4;
}

/**
 * Sign of x and y for a `+axis=` other than east-north (south-oriented grids such as South Africa's Lo, `+axis=wsu`):
 * proj4js ignores the axis on projected CRSs, so the transformer flips the signs itself.
 */
function axisSigns(def: string): [number, number] {
  const a = /\+axis=([ewns])([ewns])/.exec(def);
  if (!a || !/\+proj=(?!longlat|latlong)/.test(def)) return [1, 1];
  return [a[1] === 'w' ? -1 : 1, a[2] === 's' ? -1 : 1];
}

/** The definition proj4js gets: without the axis, which {@link axisSigns} applies. */
function withoutAxis(def: string): string {
  return /\+proj=(?!longlat|latlong)/.test(def) ? def.replace(/\s*\+axis=\S+/, '') : def;
}

/**
 * Builds a transformer between two CRSs through proj4js.
 * @throws CrsError `TIANDI_E_TRANSFORM` when a coordinate cannot be transformed (NaN/Infinity).
 * @example transformer(getCrs(32650), getCrs(4326)).forward([500000, 0]) // [117, 0]
 */
export function transformer(from: Crs, to: Crs): Transformer {
  const conv = proj4(withoutAxis(defOf(from)), withoutAxis(defOf(to)));
  const [fx, fy] = axisSigns(from.proj4);
  const [tx, ty] = axisSigns(to.proj4);
  const check = (out: number[], input: readonly [number, number]): [number, number] => {
    const x = out[0];
    const y = out[1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new CrsError('TIANDI_E_TRANSFORM', `坐标无法转换 cannot transform [${input[0]}, ${input[1]}] from ${from.id} to ${to.id}`);
    }
    return [x, y];
  };
  return {
    forward: (xy) => {
      const p = check(conv.forward([fx * xy[0], fy * xy[1]]), xy);
      return [tx * p[0], ty * p[1]];
    },
    inverse: (xy) => {
      const p = check(conv.inverse([tx * xy[0], ty * xy[1]]), xy);
      return [fx * p[0], fy * p[1]];
    },
  };
}
