import fs from 'node:fs';
import path from 'node:path';
import { makeGeoTiff } from '../../../apps/server/src/testing/make-geotiff';
import { rasterCatalogOf } from '@tiandi/server';
import type { RouteModule } from '@tiandi/server';

/** Builds the web app into `outDir` (its own copy, so a test never sees another's build half-written). */
export async function buildWeb(outDir: string): Promise<string> {
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING ??= 'true';
  const { build } = await import('vite');
  const root = path.resolve('apps/web');
  await build({ configFile: path.join(root, 'vite.config.ts'), root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/**
 * An orthophoto of village 上寨村 (≈1.1 m/px, WGS 84) written into `dir`, and the route module that serves it
 * as map tiles like a finished scan's.
 */
export function villageOrthoModule(dir: string): RouteModule {
  const ortho = path.join(dir, 'DJI_0001.tif');
  fs.writeFileSync(ortho, makeGeoTiff({ width: 1000, height: 1000, origin: [100.0, 25.011], pixelSize: 1.1e-5, epsg: 4326 }));
  return { name: 'test-ortho', register: (_app, ctx) => rasterCatalogOf(ctx).addProvider(() => [{ kind: 'ortho', name: 'DJI_0001.tif', file: ortho }]) };
}
