import { CRS_ERROR_CODES, SHARED_ERROR_CODES, statusOf, TiandiError } from '@tiandi/geo';
import { TILES_ERROR_CODES } from '@tiandi/tiles';
import { fromFile } from 'geotiff';

/** What the server learned about a complete upload that passed validation. */
export interface OrthophotoInfo {
  width: number;
  height: number;
  bands: number;
  /** EPSG code from the GeoKeys, or null if the file declares none. */
  epsg: number | null;
}

/**
 * A complete upload that is not a usable orthophoto; `message` says why (zh + en) and what to do, `code` is the
 * tiles package's code for it (docs/errors/tiles.md), so the web app can word it in the user's language.
 */
export class OrthophotoRejected extends TiandiError {
  override readonly name = 'OrthophotoRejected';
  constructor(message: string, code: string = 'TIANDI_E_CORRUPT_TIFF') {
    super(code, message, statusOf(code, TILES_ERROR_CODES, CRS_ERROR_CODES, SHARED_ERROR_CODES));
  }
}

/** Largest side we accept before refusing as implausible (a header claiming 10⁷ px is corrupt). */
const MAX_SIDE_PX = 2_000_000;

/**
 * Checks a complete upload the way `tiandi scan` does before scanning: a readable TIFF, sane
 * dimensions, and georeferencing. Uses the tiles package's own validation when it provides one
 * (`validateOrthophoto` / `openOrthophoto`), so messages match the CLI; otherwise reads the
 * header with geotiff.js. Throws {@link OrthophotoRejected}.
 */
export async function validateOrthophoto(file: string, signal?: AbortSignal): Promise<OrthophotoInfo> {
  const tiles = (await import('@tiandi/tiles/node').catch(() => ({}))) as Partial<typeof import('@tiandi/tiles/node')>;
  if (typeof tiles.openGeoTiffSource === 'function') {
    let src;
    try {
      src = await tiles.openGeoTiffSource(file, { signal, cacheBytes: 8 << 20 });
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      throw new OrthophotoRejected((err as Error).message, typeof code === 'string' && code.startsWith('TIANDI_E_') ? code : 'TIANDI_E_INTERNAL');
    }
    try {
      const s = src as unknown as { width: number; height: number; bands?: number; samplesPerPixel?: number; crs?: { epsg?: number } };
      return { width: s.width, height: s.height, bands: s.bands ?? s.samplesPerPixel ?? 0, epsg: s.crs?.epsg ?? null };
    } finally {
      await src.close();
    }
  }
  let tiff;
  try {
    tiff = await fromFile(file, signal);
  } catch (err) {
    throw new OrthophotoRejected(`不是可读的 TIFF 文件 not a readable TIFF (${(err as Error).message}); 请导出为 GeoTIFF export it as GeoTIFF and upload again.`, 'TIANDI_E_NOT_TIFF');
  }
  try {
    const image = await tiff.getImage(0);
    const width = image.getWidth();
    const height = image.getHeight();
    if (!(width > 0 && height > 0) || width > MAX_SIDE_PX || height > MAX_SIDE_PX) {
      throw new OrthophotoRejected(`图像尺寸不合理 implausible size ${width} × ${height} px; 文件可能已损坏 the file is probably corrupt.`, width > 0 && height > 0 ? 'TIANDI_E_TOO_LARGE' : 'TIANDI_E_EMPTY_IMAGE');
    }
    const fd = image.getFileDirectory() as unknown as Record<string, unknown>;
    const hasGeo = Boolean(fd.ModelTiepoint || fd.ModelTransformation || fd.ModelTiepointTag || fd.ModelTransformationTag) || (await hasGeoTags(image));
    if (!hasGeo) {
      throw new OrthophotoRejected('缺少地理参考 no georeferencing (no tie point or transformation); 请从制图软件导出带地理参考的 GeoTIFF export a georeferenced GeoTIFF.', 'TIANDI_E_NO_GEOREF');
    }
    const keys = (image.getGeoKeys?.() ?? {}) as Record<string, number | undefined>;
    const epsg = keys.ProjectedCSTypeGeoKey ?? keys.GeographicTypeGeoKey ?? null;
    // Touch the first strip/tile so a truncated file fails here rather than in the scan.
    await image.readRasters({ window: [0, 0, Math.min(width, 16), Math.min(height, 16)], signal });
    return { width, height, bands: image.getSamplesPerPixel(), epsg: epsg && epsg !== 32767 ? epsg : null };
  } catch (err) {
    if (err instanceof OrthophotoRejected) throw err;
    throw new OrthophotoRejected(`文件已损坏或被截断 corrupt or truncated TIFF (${(err as Error).message}); 请重新导出 export it again.`, 'TIANDI_E_CORRUPT_TIFF');
  } finally {
    tiff.close?.();
  }
}

async function hasGeoTags(image: { getOrigin(): number[] }): Promise<boolean> {
  try {
    image.getOrigin();
    return true;
  } catch {
    return false;
  }
}
