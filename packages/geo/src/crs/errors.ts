import { defineErrorCodes, TiandiError } from '../tiandi-error';

/** Stable codes of CRS errors: users read the message, scripts read the code (documented in docs/errors/tiles.md). */
export const CRS_ERROR_CODES = defineErrorCodes({
  TIANDI_E_UNKNOWN_CRS: { status: 400, summary: 'The CRS is not in the registry and no --crs was given.' },
  TIANDI_E_BAD_PROJ4: { status: 400, summary: 'A `--crs` proj4 string that proj4js cannot parse, or whose units are not metres or degrees.' },
  TIANDI_E_TRANSFORM: { status: 400, summary: "A coordinate could not be transformed (outside the projection's domain)." },
});

/** One of {@link CRS_ERROR_CODES}. */
export type CrsErrorCode = keyof typeof CRS_ERROR_CODES;

/** A CRS could not be resolved or used. `input` is the code or definition that failed. */
export class CrsError extends TiandiError<CrsErrorCode> {
  override readonly name = 'CrsError';
  constructor(
    code: CrsErrorCode,
    message: string,
    readonly input?: string,
  ) {
    super(code, message, CRS_ERROR_CODES[code].status);
  }
}
