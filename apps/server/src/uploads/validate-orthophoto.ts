import { CRS_ERROR_CODES, SHARED_ERROR_CODES, statusOf, TiandiError } from '@tiandi/geo';
import { TILES_ERROR_CODES } from '@tiandi/tiles';

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
  constructor(
    message: string,
    code: string = 'TIANDI_E_CORRUPT_TIFF',
    /** Numbers the web app's wording of `code` takes (GSD_TOO_COARSE: `gsd_m`, `limit_m`). */
    readonly facts: Record<string, number> = {},
  ) {
    super(code, message, statusOf(code, TILES_ERROR_CODES, CRS_ERROR_CODES, SHARED_ERROR_CODES));
  }
}

/**
 * Checks a complete upload the way `tiandi scan` does before scanning, with the tiles package's own reader
 * (`openGeoTiffSource`: a readable TIFF within its sanity limits, georeferencing and a known CRS), so the
 * messages and codes match the CLI's; with `modelDir`, also that the scan with that model would take its GSD
 * (`gsdRefusal`: no coarser than the verifier can judge), so such a file is refused now, not by a failed job.
 * Throws {@link OrthophotoRejected}.
 */
export async function validateOrthophoto(file: string, o: { signal?: AbortSignal; modelDir?: string } = {}): Promise<OrthophotoInfo> {
  const { gsdRefusal, openGeoTiffSource } = await import('@tiandi/tiles/node');
  let src;
  try {
    src = await openGeoTiffSource(file, { signal: o.signal, cacheBytes: 8 << 20 });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new OrthophotoRejected((err as Error).message, typeof code === 'string' && code.startsWith('TIANDI_E_') ? code : 'TIANDI_E_INTERNAL');
  }
  try {
    const refused = o.modelDir ? await gsdRefusal(o.modelDir, src.gsdM, { cliHint: false, signal: o.signal }) : undefined;
    if (refused) {
      const facts = { gsd_m: round3(refused.gsdM), limit_m: round3(refused.limitM) };
      throw new OrthophotoRejected(refused.message, 'TIANDI_E_GSD_TOO_COARSE', facts);
    }
    return { width: src.width, height: src.height, bands: src.bands, epsg: src.crs.epsg ?? null };
  } finally {
    await src.close();
  }
}

const round3 = (m: number) => Math.round(m * 1000) / 1000;
