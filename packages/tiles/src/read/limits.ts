/** Header sanity limits, checked before any pixel buffer is allocated. */
export const LIMITS = {
  /** Largest width or height accepted (a 20 GB orthophoto at 2 cm is ~150 000 px on a side). */
  maxSidePx: 1_000_000,
  /** Largest pixel count accepted (≈ 50 Gpx; a 10⁷ × 10⁷ header claims 10¹⁴). */
  maxPixels: 5e10,
  /** Largest decoded block (tile or strip) in bytes. */
  maxBlockBytes: 256 * 1024 * 1024,
  /** Most samples per pixel accepted. */
  maxSamples: 16,
} as const;
