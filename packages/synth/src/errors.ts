import { defineErrorCodes, SHARED_ERROR_CODES, statusOf, TiandiError } from '@tiandi/geo';

/** Stable codes of every error the synth package raises (documented in docs/errors/synth.md). */
export const SYNTH_ERROR_CODES = defineErrorCodes({
  TIANDI_E_BAD_SCENE_OPTIONS: { status: 400, summary: 'Scene options are invalid (unknown key, GSD out of 0.01–0.2 m, size out of range).' },
  TIANDI_E_BAD_CHIP_OPTIONS: { status: 400, summary: 'Chip export options or labels are invalid.' },
  TIANDI_E_BAD_TRUTH: { status: 400, summary: 'A ground-truth or candidates GeoJSON file is invalid.' },
  TIANDI_E_BAD_REAL_NEGATIVES: {
    status: 400,
    summary: 'A real-negative folder or pattern of `tiandi eval --real-negatives` is unreadable or matches no GeoTIFF.',
  },
});

/** One of {@link SYNTH_ERROR_CODES}, or the shared `TIANDI_E_ABORTED`. */
export type SynthErrorCode = keyof typeof SYNTH_ERROR_CODES | 'TIANDI_E_ABORTED';

/** A typed error of the synth package, with the option or file it concerns when there is one. */
export class SynthError extends TiandiError<SynthErrorCode> {
  override readonly name = 'SynthError';
  constructor(code: SynthErrorCode, message: string, field?: string) {
    super(code, message, statusOf(code, SYNTH_ERROR_CODES, SHARED_ERROR_CODES), { field });
  }
}

/** Throws `TIANDI_E_ABORTED` when the signal has fired. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new SynthError('TIANDI_E_ABORTED', '已取消 aborted');
}
