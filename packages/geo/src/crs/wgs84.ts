import type { Crs } from './crs';
import { getCrs } from './get-crs';
import { transformer, type Transformer } from './transformer';

/** WGS 84 geographic (EPSG:4326), the CRS of everything exchanged between Tiandi's stages. */
export const WGS84: Crs = getCrs(4326);

/** A transformer from `crs` to WGS 84 `[lon, lat]` (forward) and back (inverse). */
export function toWgs84(crs: Crs): Transformer {
  return transformer(crs, WGS84);
}
