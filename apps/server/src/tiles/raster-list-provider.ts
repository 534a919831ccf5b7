import { readRasterList, type Workspace } from '@tiandi/store';
import type { RasterProvider } from './raster-catalog';

/** A raster provider reading the workspace's raster list (set by `tiandi demo`) on every listing. */
export function rasterListProvider(ws: () => Workspace): RasterProvider {
  return () => readRasterList(ws()).map((e) => ({ kind: e.kind, name: e.name, file: e.file, imageId: e.imageId }));
}
