import fs from 'node:fs';
import path from 'node:path';
import type { RasterInfo } from '@tiandi/api';
import sharp from 'sharp';
import { z } from 'zod';
import type { Role, RouteModule, ServerContext } from '../context';
import { ServerError } from '../errors';
import { jobQueueOf } from '../jobs/services';
import { RasterCatalog, type RasterEntry } from '../tiles/raster-catalog';
import { rasterListProvider } from '../tiles/raster-list-provider';
import { renderTile, TILE_PX } from '../tiles/render-tile';
import { TileCache } from '../tiles/tile-cache';
import { boxesOverlap, isValidTile, tileBoundsLonLat } from '../tiles/tile-math';
import type { RasterSource } from '../tiles/raster-source';
import { parseInput } from '../validate';
import { migrateRasterFileList } from '../workspace/migrate-data-files';
import { workspaceOf } from '../workspace/workspace-service';

/** A tile coordinate: decimal digits only (no sign, space, `0x`, exponent or fraction), no leading zero. */
const TileIndex = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,9})$/, '瓦片坐标必须是非负整数 must be a non-negative decimal integer')
  .transform(Number);
const TileParams = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{20}$/, '栅格编号无效 not a raster id'),
  z: TileIndex.pipe(z.number().max(24)),
  x: TileIndex,
  y: TileIndex,
});

const RasterId = z.strictObject({ id: z.string().regex(/^[0-9a-f]{20}$/, '栅格编号无效 not a raster id') });

/** A heatmap's imagery-quality map: the scan writes quality.geojson beside heatmap.tif (poor blocks and why). */
export function qualityFileOf(entry: Pick<RasterEntry, 'kind' | 'file'>): string | null {
  if (entry.kind !== 'heatmap') return null;
  const file = path.join(path.dirname(entry.file), 'quality.geojson');
  return fs.existsSync(file) ? file : null;
}

/** The server's raster catalog (registered by the rasters module). Other modules add providers to it. */
export function rasterCatalogOf(ctx: ServerContext): RasterCatalog {
  let c = ctx.services.get('rasters') as RasterCatalog | undefined;
  if (!c) {
    c = new RasterCatalog();
    ctx.services.set('rasters', c);
  }
  return c;
}

/**
 * Map tiles: GET /api/rasters lists orthophotos and heatmaps with bounds and zoom range;
 * GET /api/rasters/:id/:z/:x/:y.png renders a 256-px Web Mercator PNG on demand from the GeoTIFF
 * (best overview, cached on disk), 204 when the tile is empty. GET /api/rasters/:id/quality.geojson is a
 * heatmap's imagery-quality map (its scan's poor blocks with their reasons), to the same roles as its tiles.
 */
const rasters: RouteModule = {
  name: 'rasters',
  register(app, ctx) {
    const catalog = rasterCatalogOf(ctx);
    const cache = new TileCache(path.join(ctx.options.dataDir, 'tile-cache'));
    // Rasters listed in the workspace (the demo's flight blocks and heatmaps); an older rasters.json moves there once.
    for (const m of migrateRasterFileList(ctx.options.dataDir, workspaceOf(ctx))) app.log.warn(m);
    catalog.addProvider(rasterListProvider(() => workspaceOf(ctx)));
    catalog.addProvider(jobRasters(ctx));
    const roles: Role[] = ['operator', 'planner', 'manager', 'field', 'admin'];
    app.get('/api/rasters', { config: { roles } }, async () => ({ rasters: await rasterInfos(catalog) }));
    app.get('/api/rasters/:id/quality.geojson', { config: { roles } }, async (req, reply) => {
      const file = await qualityFileOrThrow(catalog, req.params);
      return reply.type('application/geo+json').header('cache-control', 'private, no-cache').send(fs.createReadStream(file));
    });
    app.get('/api/rasters/:id/:z/:x/:y.png', { config: { roles } }, async (req, reply) => {
      const p = parseInput(TileParams, req.params, 'params');
      if (!isValidTile(p.z, p.x, p.y)) throw new ServerError('TIANDI_E_VALIDATION', `瓦片坐标无效 no such tile ${p.z}/${p.x}/${p.y}`, { field: 'x' });
      const entry = await catalog.get(p.id);
      if (!entry) throw new ServerError('TIANDI_E_NOT_FOUND', `没有此栅格 no raster '${p.id}'`, { field: 'id' });
      void reply.header('cache-control', 'public, max-age=86400, immutable');
      const png = await tilePng(catalog, cache, entry, p);
      return png ? reply.type('image/png').send(png) : reply.code(204).send();
    });
  },
  async close(ctx) {
    await (ctx.services.get('rasters') as RasterCatalog | undefined)?.close();
  },
};
export default rasters;

/** Scan jobs' rasters: the orthophoto as soon as its upload is accepted, the heatmap once its scan is done. */
function jobRasters(ctx: ServerContext): () => Omit<RasterEntry, 'id'>[] {
  return () => {
    const q = ctx.services.get('jobs') ? jobQueueOf(ctx) : null;
    if (!q) return [];
    return q.list().flatMap((j) => {
      const out: Omit<RasterEntry, 'id'>[] = [
        { kind: 'ortho', name: j.imageName, file: j.imagePath, jobId: j.id, imageId: j.result?.imageId ?? null, time: j.createdAt },
      ];
      if (j.status === 'done' && j.result)
        out.push({
          kind: 'heatmap',
          name: j.imageName,
          file: path.join(j.result.scanDir, 'heatmap.tif'),
          jobId: j.id,
          imageId: j.result.imageId,
          time: j.finishedAt ?? j.createdAt,
        });
      return j.status === 'failed' || j.status === 'cancelled' ? [] : out;
    });
  };
}

/** Every raster with its bounds, zoom range and tile URL; one that cannot be opened is listed with its error. */
async function rasterInfos(catalog: RasterCatalog): Promise<RasterInfo[]> {
  const list = await catalog.list();
  const out: RasterInfo[] = [];
  for (const e of list) {
    try {
      const s = await catalog.source(e);
      out.push({
        id: e.id,
        kind: e.kind,
        name: e.name,
        jobId: e.jobId ?? null,
        imageId: e.imageId ?? null,
        bounds: s.boundsLonLat,
        minzoom: s.minzoom,
        maxzoom: s.maxzoom,
        gsdM: s.gsdM,
        tiles: `/api/rasters/${e.id}/{z}/{x}/{y}.png`,
        ...(qualityFileOf(e) ? { quality: `/api/rasters/${e.id}/quality.geojson` } : {}),
      });
    } catch (err) {
      out.push({ id: e.id, kind: e.kind, name: e.name, jobId: e.jobId ?? null, imageId: e.imageId ?? null, error: (err as Error).message });
    }
  }
  return out;
}

/** The quality map of the raster named in the params; 404 when there is no such raster or it has none. */
async function qualityFileOrThrow(catalog: RasterCatalog, params: unknown): Promise<string> {
  const { id } = parseInput(RasterId, params, 'params');
  const entry = await catalog.get(id);
  if (!entry) throw new ServerError('TIANDI_E_NOT_FOUND', `没有此栅格 no raster '${id}'`, { field: 'id' });
  const file = qualityFileOf(entry);
  if (!file)
    throw new ServerError(
      'TIANDI_E_NOT_FOUND',
      `栅格 ${entry.name} 没有影像质量图 raster '${entry.name}' has no imagery-quality map (only scans that judged quality write one)`,
      { field: 'id' },
    );
  return file;
}

/** A tile as PNG, from the disk cache or rendered (and cached); null when it is empty (204). */
async function tilePng(
  catalog: RasterCatalog,
  cache: TileCache,
  entry: RasterEntry,
  p: { id: string; z: number; x: number; y: number },
): Promise<Buffer | null> {
  const src = await catalog.source(entry);
  // Outside the raster's zoom range or bounds: empty, decided from the header alone (no disk, no cache entry).
  if (!tileInRange(src, p.z, p.x, p.y)) return null;
  const cached = cache.get(p.id, p.z, p.x, p.y);
  if (cached === 'empty') return null;
  if (cached) return cached;
  const rgba = await renderTile(src, p.z, p.x, p.y);
  if (!rgba) {
    cache.put(p.id, p.z, p.x, p.y, 'empty');
    return null;
  }
  const png = await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width: TILE_PX, height: TILE_PX, channels: 4 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
  cache.put(p.id, p.z, p.x, p.y, png);
  return png;
}

/** Whether tile z/x/y is inside the raster's zoom range and overlaps its bounds. */
export function tileInRange(src: Pick<RasterSource, 'minzoom' | 'maxzoom' | 'boundsLonLat'>, z: number, x: number, y: number): boolean {
  return z >= src.minzoom && z <= src.maxzoom && boxesOverlap(tileBoundsLonLat(z, x, y), src.boundsLonLat);
}
