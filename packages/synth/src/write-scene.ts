import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeGeoTiff } from '@tiandi/tiles/write';
import { generateScene, type Scene } from './generate-scene';
import type { SceneOptionsInput } from './scene-options';
import { throwIfAborted } from './errors';

/** Files written for one scene. */
export interface WrittenScene {
  scene: Scene;
  tifPath: string;
  truthPath: string;
}

/** Options of {@link writeScene}. */
export interface WriteSceneOptions {
  /** File stem (default `scene-<seed>`). */
  name?: string;
  /** `jpeg` (default, quality from the scene's look: real JPEG artefacts) or `deflate` (lossless). */
  compression?: 'jpeg' | 'deflate';
  signal?: AbortSignal;
  onProgress?: (rowsDone: number, height: number) => void;
}

/**
 * Generates a scene and writes it as a Cloud-Optimised GeoTIFF (`<name>.tif`, tiled, overviews,
 * GeoKeys) with its ground truth beside it (`<name>.truth.geojson`), rendering band by band.
 */
export async function writeScene(input: SceneOptionsInput, dir: string, opts: WriteSceneOptions = {}): Promise<WrittenScene> {
  throwIfAborted(opts.signal);
  const scene = generateScene(input);
  const o = scene.options;
  const name = opts.name ?? `scene-${o.seed}`;
  await mkdir(dir, { recursive: true });
  const tifPath = join(dir, `${name}.tif`);
  const truthPath = join(dir, `${name}.truth.geojson`);
  const jpeg = (opts.compression ?? 'jpeg') === 'jpeg';
  await writeGeoTiff(
    tifPath,
    {
      width: o.widthPx,
      height: o.heightPx,
      bands: 3,
      epsg: scene.georef.epsg,
      geoTransform: scene.georef.geoTransform,
      readRows: (y0, rows) => {
        throwIfAborted(opts.signal);
        return scene.renderRows(y0, rows);
      },
      compression: jpeg ? 'jpeg' : 'deflate',
      jpegQuality: scene.layout.look.jpegQuality,
      deflateLevel: 4,
      tileSize: 512,
      acquired: o.acquired,
      onProgress: opts.onProgress,
    },
    opts.signal,
  );
  await writeFile(truthPath, JSON.stringify(scene.truth) + '\n');
  return { scene, tifPath, truthPath };
}
