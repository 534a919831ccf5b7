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
 * Builds a transformer between two CRSs through proj4js.
 * @throws CrsError `TIANDI_E_TRANSFORM` when a coordinate cannot be transformed (NaN/Infinity).
 * @example transformer(getCrs(32650), getCrs(4326)).forward([500000, 0]) // [117, 0]
 */
export function transformer(from: Crs, to: Crs): Transformer {
  const conv = proj4(defOf(from), defOf(to));
  const check = (out: number[], input: readonly [number, number]): [number, number] => {
    const x = out[0];
    const y = out[1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new CrsError(
        'TIANDI_E_TRANSFORM',
        `坐标无法转换 cannot transform [${input[0]}, ${input[1]}] from ${from.id} to ${to.id}`,
      );
    }
    return [x, y];
  };
  return {
    forward: (xy) => check(conv.forward([xy[0], xy[1]]), xy),
    inverse: (xy) => check(conv.inverse([xy[0], xy[1]]), xy),
  };
}
