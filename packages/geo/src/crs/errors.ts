/** Stable codes of CRS errors: users read the message, scripts read the code. */
export type CrsErrorCode = 'TIANDI_E_UNKNOWN_CRS' | 'TIANDI_E_BAD_PROJ4' | 'TIANDI_E_TRANSFORM';

/** A CRS could not be resolved or used. `input` is the code or definition that failed. */
export class CrsError extends Error {
  override readonly name = 'CrsError';
  constructor(
    readonly code: CrsErrorCode,
    message: string,
    readonly input?: string,
  ) {
    super(message);
  }
}
