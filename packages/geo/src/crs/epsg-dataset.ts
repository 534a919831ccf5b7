import { nodeBuiltin } from './node-builtin';

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

/** Where entries come from: a function from code to entry (undefined when the code is not a CRS there). */
export type EpsgSource = (code: number) => EpsgEntry | undefined;

const cache = new Map<number, EpsgEntry | undefined>();
let source: EpsgSource | undefined;

/** The npm package's one-file-per-code JSON, read through Node's require (undefined outside Node). */
function packageSource(): EpsgSource | undefined {
  const mod = nodeBuiltin<{ createRequire(url: string): (id: string) => unknown }>('node:module');
  if (!mod) return undefined;
  const require = mod.createRequire(import.meta.url);
  return (code) => {
    try {
      return require(`epsg-index/s/${code}.json`) as EpsgEntry;
    } catch {
      return undefined;
    }
  };
}

/** Replaces where EPSG entries come from (e.g. a browser that fetched the ones it needs); clears the cache. */
export function setEpsgSource(s: EpsgSource | undefined): void {
  source = s;
  cache.clear();
}

/**
 * The EPSG dataset's entry for a code, or undefined when the code is not a CRS there.
 * Reads one small JSON file per code (`epsg-index/s/<code>.json`), so a lookup costs one file read, once.
 * @example epsgEntry(28992)?.name // 'Amersfoort / RD New'
 */
export function epsgEntry(code: number): EpsgEntry | undefined {
  if (!Number.isInteger(code) || code <= 0 || code > 999_999) return undefined;
  if (cache.has(code)) return cache.get(code);
  source ??= packageSource();
  const entry = source?.(code);
  cache.set(code, entry);
  return entry;
}
