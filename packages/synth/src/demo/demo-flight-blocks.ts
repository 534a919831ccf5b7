import { getCrs, transformer } from '@tiandi/geo';
import type { DemoSurvey, LonLat } from './demo-survey';

/** One demo flight block: a square orthophoto generated deterministically on first use. */
export interface DemoFlightBlock {
  id: string;
  village: string;
  /** Scene seed passed to the generator. */
  seed: number;
  crs: string;
  gsdM: number;
  widthPx: number;
  heightPx: number;
  /** Top-left corner of the image in the CRS (easting, northing in metres, GK with zone prefix). */
  originX: number;
  originY: number;
  acquired: string;
  /** File name of the COG under seeds/.generated/. */
  file: string;
}

export interface DemoFlightBlocks {
  crs: string;
  note: string;
  blocks: DemoFlightBlock[];
}

/** Block layout: which village, offset of the block centre from the village centre (m), GSD. */
const LAYOUT: Array<[number, number, number, number]> = [
  [0, 0, 0, 0.05], // centred on the hamlet 阿都村, which it covers whole
  [1, -300, 250, 0.05],
  [2, 250, 300, 0.04],
  [3, -350, -250, 0.05],
  [5, 300, -300, 0.06],
];

/**
 * Five flight blocks in CGCS2000 / 3-degree Gauss–Krüger zone 34 (EPSG:4522, zone prefix), each
 * 4608 × 4608 px (21.2 Mpx; 106 Mpx in all) at 4–6 cm GSD, beside the fields of five villages.
 */
export function demoFlightBlocks(survey: DemoSurvey): DemoFlightBlocks {
  const tf = transformer(getCrs(4326), getCrs(4522));
  const size = 4608;
  const blocks = LAYOUT.map(([vi, de, dn, gsdM], i) => {
    const v = survey.villages[vi];
    const c = tf.forward(v.centre as LonLat);
    const half = (size * gsdM) / 2;
    return {
      id: `block-${i + 1}`,
      village: v.id,
      seed: 20260 + i,
      crs: 'EPSG:4522',
      gsdM,
      widthPx: size,
      heightPx: size,
      originX: Math.round(c[0] + de - half),
      originY: Math.round(c[1] + dn + half),
      acquired: `2026-04-${String(12 + i * 3).padStart(2, '0')}`,
      file: `block-${i + 1}.tif`,
    };
  });
  return {
    crs: 'EPSG:4522',
    note: '影像首次使用时确定性生成到 seeds/.generated/ (ensureDemoImagery). Imagery is generated deterministically on first use into seeds/.generated/; ground truth goes to seeds/.generated/truth/ and is never shown to the scan.',
    blocks,
  };
}
