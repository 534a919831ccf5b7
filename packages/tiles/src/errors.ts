import { CRS_ERROR_CODES, defineErrorCodes, SHARED_ERROR_CODES, statusOf, TiandiError, type CrsErrorCode, type SharedErrorCode } from '@tiandi/geo';

/** Stable codes of every error the tiles package raises: users read the message, scripts read the code. */
export const TILES_ERROR_CODES = defineErrorCodes({
  TIANDI_E_NOT_TIFF: { status: 400, summary: 'The file is not a TIFF.' },
  TIANDI_E_CORRUPT_TIFF: { status: 400, summary: 'The TIFF is truncated or corrupt.' },
  TIANDI_E_EMPTY_IMAGE: { status: 400, summary: 'The image has zero width or height.' },
  TIANDI_E_TOO_LARGE: { status: 400, summary: 'The header claims dimensions beyond any real orthophoto.' },
  TIANDI_E_NO_GEOREF: { status: 400, summary: 'The TIFF has no georeferencing.' },
  TIANDI_E_UNSUPPORTED_COMPRESSION: { status: 400, summary: 'The compression cannot be decoded.' },
  TIANDI_E_UNSUPPORTED_SAMPLES: { status: 400, summary: 'The sample format, bit depth or photometric interpretation is not supported.' },
  TIANDI_E_GSD_TOO_COARSE: { status: 400, summary: 'The imagery is coarser than twice the GSD the model expects.' },
  TIANDI_E_BAD_MODEL_CARD: { status: 400, summary: 'model.json is missing or invalid.' },
  TIANDI_E_MODEL_MISMATCH: { status: 400, summary: 'The ONNX graph contradicts its model card.' },
  TIANDI_E_BAD_WRITE_OPTIONS: { status: 400, summary: 'writeGeoTiff was called with invalid options.' },
  TIANDI_E_BAD_ADAPT_INPUT: { status: 400, summary: 'Local adaptation has no labels to learn from, or its output folder exists.' },
});

/**
 * A code of the tiles package: its own, geo's "CRS not in the registry" (`TIANDI_E_UNKNOWN_CRS`, defined once
 * in @tiandi/geo), or the shared aborted / internal codes.
 */
export type TilesErrorCode =
  | keyof typeof TILES_ERROR_CODES
  | Extract<CrsErrorCode, 'TIANDI_E_UNKNOWN_CRS'>
  | Extract<SharedErrorCode, 'TIANDI_E_ABORTED' | 'TIANDI_E_INTERNAL'>;

/** The codes other registries own that the tiles package throws (documented in docs/errors/tiles.md too). */
export const TILES_BORROWED_CODES = ['TIANDI_E_UNKNOWN_CRS', 'TIANDI_E_ABORTED', 'TIANDI_E_INTERNAL'] as const satisfies readonly TilesErrorCode[];

/** A typed error of the tiles package, with the file it concerns when there is one. */
export class TilesError extends TiandiError<TilesErrorCode> {
  override readonly name = 'TilesError';
  constructor(code: TilesErrorCode, message: string, path?: string) {
    super(code, message, statusOf(code, TILES_ERROR_CODES, CRS_ERROR_CODES, SHARED_ERROR_CODES), { path });
  }
}

/** Throws `TIANDI_E_ABORTED` when the signal has fired. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new TilesError('TIANDI_E_ABORTED', '已取消 aborted');
}
