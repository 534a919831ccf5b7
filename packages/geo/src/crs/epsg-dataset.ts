import { createRequire } from 'node:module';

/** One entry of the EPSG dataset (npm `epsg-index`, generated from PROJ's EPSG database). */
export interface EpsgEntry {
  code: string;
  /** `CRS-GEOGCRS`, `CRS-PROJCRS`, `CRS-VERTCRS`, `CRS-COMPOUNDCRS`, `CRS-GEOCCRS`, … */
  kind: string;
  name: string;
  wkt?: string;
  proj4?: string;
  /** Area of use as [north, west, south, east] degrees. */
  bbox?: [number, number, number, number];
  unit?: string | null;
  area?: string;
}

const require = createRequire(import.meta.url);
const cache = new Map<number, EpsgEntry | undefined>();

/**
 * The EPSG dataset's entry for a code, or undefined when the code is not a CRS there.
 * Reads one small JSON file per code (`epsg-index/s/<code>.json`), so a lookup costs one file read, once.
 * @example epsgEntry(28992)?.name // 'Amersfoort / RD New'
 */
export function epsgEntry(code: number): EpsgEntry | undefined {
  if (!Number.isInteger(code) || code <= 0 || code > 999_999) return undefined;
  if (cache.has(code)) return cache.get(code);
  let entry: EpsgEntry | undefined;
  try {
    entry = require(`epsg-index/s/${code}.json`) as EpsgEntry;
  } catch {
    entry = undefined;
  }
  cache.set(code, entry);
  return entry;
}
