/**
 * A Node built-in module when running under Node (≥ 20.16, `process.getBuiltinModule`), else undefined.
 * @tiandi/geo imports no Node module statically, so it still loads in a browser; there, the EPSG dataset
 * and PROJ's datum grids are simply not at hand (see {@link setEpsgSource}).
 */
export function nodeBuiltin<T>(id: 'node:module' | 'node:fs'): T | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return p?.getBuiltinModule?.(id) as T | undefined;
}
