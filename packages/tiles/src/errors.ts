/** Stable codes of every error the tiles package raises: users read the message, scripts read the code. */
export const TILES_ERROR_CODES = {
  TIANDI_E_NOT_TIFF: 'The file is not a TIFF.',
  TIANDI_E_CORRUPT_TIFF: 'The TIFF is truncated or corrupt.',
  TIANDI_E_EMPTY_IMAGE: 'The image has zero width or height.',
  TIANDI_E_TOO_LARGE: 'The header claims dimensions beyond any real orthophoto.',
  TIANDI_E_NO_GEOREF: 'The TIFF has no georeferencing.',
  TIANDI_E_UNKNOWN_CRS: 'The CRS is not in the registry and no --crs was given.',
  TIANDI_E_UNSUPPORTED_COMPRESSION: 'The compression cannot be decoded.',
  TIANDI_E_UNSUPPORTED_SAMPLES: 'The sample format, bit depth or photometric interpretation is not supported.',
  TIANDI_E_GSD_TOO_COARSE: 'The imagery is coarser than twice the GSD the model expects.',
  TIANDI_E_BAD_MODEL_CARD: 'model.json is missing or invalid.',
  TIANDI_E_MODEL_MISMATCH: 'The ONNX graph contradicts its model card.',
  TIANDI_E_BAD_WRITE_OPTIONS: 'writeGeoTiff was called with invalid options.',
  TIANDI_E_BAD_ADAPT_INPUT: 'Local adaptation has no labels to learn from, or its output folder exists.',
  TIANDI_E_ABORTED: 'The operation was aborted.',
  TIANDI_E_INTERNAL: 'An unexpected error while scanning (a bug).',
} as const;

/** One of {@link TILES_ERROR_CODES}. */
export type TilesErrorCode = keyof typeof TILES_ERROR_CODES;

/** A typed error of the tiles package, with the file it concerns when there is one. */
export class TilesError extends Error {
  override readonly name = 'TilesError';
  constructor(
    readonly code: TilesErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** Throws `TIANDI_E_ABORTED` when the signal has fired. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new TilesError('TIANDI_E_ABORTED', '已取消 aborted');
}
