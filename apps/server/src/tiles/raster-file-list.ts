import fs from 'node:fs';
import path from 'node:path';
import type { RasterProvider } from './raster-catalog';
import type { RasterKind } from './raster-source';

/** File in the data folder listing rasters to show (written by `tiandi demo`, or by hand). */
export const RASTER_FILE_LIST = 'rasters.json';

/** One entry of rasters.json. */
export interface RasterFileEntry {
  kind: RasterKind;
  name: string;
  file: string;
  imageId?: string | null;
}

/** A raster provider reading `<dataDir>/rasters.json` on every listing (absent file = none). */
export function rasterFileListProvider(dataDir: string): RasterProvider {
  return () => {
    const file = path.join(dataDir, RASTER_FILE_LIST);
    if (!fs.existsSync(file)) return [];
    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as RasterFileEntry[];
    return list.filter((e) => (e.kind === 'ortho' || e.kind === 'heatmap') && typeof e.file === 'string').map((e) => ({ kind: e.kind, name: e.name, file: path.resolve(dataDir, e.file), imageId: e.imageId ?? null }));
  };
}
