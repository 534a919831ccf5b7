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
  /** Image file directories read (the full image, its overviews and masks); later ones are ignored. */
  maxIfds: 66,
  /** Entries in one IFD (GDAL writes about 20; the TIFF spec defines about 80 tags). */
  maxIfdEntries: 4096,
  /** Bytes of one tag's values (a 150 000 px orthophoto in 256 px tiles has 2.7 MB of tile offsets). */
  maxTagBytes: 64 * 1024 * 1024,
} as const;
