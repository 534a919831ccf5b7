import path from 'node:path';
import { rect, surveyWorkspace, writeScanDir } from '../../../../packages/store/src/test-world.test-util';

const IMAGE = { image: 'DJI_0001.tif', poly: rect(99.999, 24.999, 100.011, 25.011) };
const CANDS = [
  { id: 'c1', image: IMAGE.image, poly: rect(100.0045, 25.005, 100.0055, 25.0055), score: 0.92 },
  { id: 'c2', image: IMAGE.image, poly: rect(100.008, 25.002, 100.0084, 25.0024), score: 0.61 },
  { id: 'c3', image: IMAGE.image, poly: rect(100.002, 25.008, 100.0023, 25.0083), score: 0.4 },
];

/**
 * Writes a scan result folder in the documented `tiandi scan` layout (footprint.geojson,
 * candidates.geojson, summary.json): one image over village V01 with three candidate plots.
 */
export function writeSurveyScanDir(dir: string): string {
  return writeScanDir(dir, [IMAGE], CANDS);
}

/** The shared survey world (store's test-world: villages V01 上寨村, V02 下寨村, season 2026) with the scan above imported. */
export async function makeSurveyWorkspace(dir: string): Promise<string> {
  const file = path.join(dir, 'survey.gpkg');
  const ws = await surveyWorkspace(file, { scanDir: path.join(dir, 'scan-DJI_0001'), images: [IMAGE], cands: CANDS, township: false });
  ws.close();
  return file;
}
