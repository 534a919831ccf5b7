import type { Feature, Polygonal } from '@tiandi/geo';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { PoorBlock } from '../scan/scan-row';
import type { ScanPlan } from '../scan/scan-plan';
import type { QualityReason } from '../quality/block-quality';

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/** What summary.json says about imagery quality (each image's poor regions are gaps in its footprint). */
export interface QualitySummary {
  blocks_judged: number;
  blocks_poor: number;
  poor_area_km2: number;
  /** Poor blocks by reason (a block may have several). */
  by_reason: Partial<Record<QualityReason, number>>;
  /** The thresholds used (the season policy's imagery_quality, else the defaults). */
  thresholds: Record<string, number>;
}

/**
 * The quality map of one image: each poor block as a polygon (WGS 84) with its reasons and measures, for the
 * operator's map layer (quality.geojson) and the re-fly list; in reading order (top to bottom, left to right), not
 * the order threads finished their rows in, so the same image gives the same file.
 */
export function poorBlockFeatures(image: string, blocks: PoorBlock[], plan: ScanPlan, src: GeoTiffSource): Feature<Polygonal, Record<string, unknown>>[] {
  const ordered = [...blocks].sort((a, b) => a.box[1] - b.box[1] || a.box[0] - b.box[0]);
  return ordered.map((b) => {
    const [x0, y0, x1, y1] = b.box;
    const corner = (x: number, y: number) => src.pixelToWgs84(Math.min(src.width, x * plan.fx), Math.min(src.height, y * plan.fy));
    const ring = [corner(x0, y0), corner(x1, y0), corner(x1, y1), corner(x0, y1), corner(x0, y0)];
    const q = b.quality;
    return {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [ring] },
      properties: {
        class: 'poor_quality',
        image,
        reasons: b.reasons,
        sharpness: round(q.sharpness, 3),
        clipped_share: round(q.clippedShare, 3),
        dark_share: round(q.darkShare, 3),
        contrast: round(q.stdLuma, 1),
        dark_channel_p5: q.darkChannelP5,
        nodata_share: round(q.nodataShare, 3),
      },
    };
  });
}

/** Totals of the quality map over every image. */
export function qualitySummary(judged: number, blocks: PoorBlock[], poorAreaKm2: number, thresholds: object): QualitySummary {
  const byReason: Partial<Record<QualityReason, number>> = {};
  for (const b of blocks) for (const r of b.reasons) byReason[r] = (byReason[r] ?? 0) + 1;
  return {
    blocks_judged: judged,
    blocks_poor: blocks.length,
    poor_area_km2: round(poorAreaKm2, 6),
    by_reason: byReason,
    thresholds: { ...thresholds } as Record<string, number>,
  };
}
