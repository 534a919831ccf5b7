/** Stable codes of every error the synth package raises (documented in docs/errors/synth.md). */
export const SYNTH_ERROR_CODES = {
  TIANDI_E_BAD_SCENE_OPTIONS: 'Scene options are invalid (unknown key, GSD out of 0.01–0.2 m, size out of range).',
  TIANDI_E_BAD_CHIP_OPTIONS: 'Chip export options or labels are invalid.',
  TIANDI_E_BAD_TRUTH: 'A ground-truth or candidates GeoJSON file is invalid.',
  TIANDI_E_BAD_REAL_NEGATIVES: 'A real-negative folder or pattern of `tiandi eval --real-negatives` is unreadable or matches no GeoTIFF.',
  TIANDI_E_ABORTED: 'The operation was aborted.',
} as const;

/** One of {@link SYNTH_ERROR_CODES}. */
export type SynthErrorCode = keyof typeof SYNTH_ERROR_CODES;

/** A typed error of the synth package, with the option or file it concerns when there is one. */
export class SynthError extends Error {
  override readonly name = 'SynthError';
  constructor(
    readonly code: SynthErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Throws `TIANDI_E_ABORTED` when the signal has fired. */
export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new SynthError('TIANDI_E_ABORTED', '已取消 aborted');
}
