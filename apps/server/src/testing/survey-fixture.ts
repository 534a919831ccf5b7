import fs from 'node:fs';
import path from 'node:path';
import { importScanDir, importZones, setSeason, Workspace } from '@tiandi/store';

const rect = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon' as const,
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

/**
 * Writes a scan result folder in the documented `tiandi scan` layout (footprint.geojson,
 * candidates.geojson, summary.json): one image over village V01 with three candidate plots.
 */
export function writeSurveyScanDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'footprint.geojson'), JSON.stringify({
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: rect(99.999, 24.999, 100.011, 25.011), properties: { image: 'DJI_0001.tif', gsd_m: 0.05, crs: 'EPSG:32647', width: 4000, height: 3000, acquired: '2026-04-12T02:30:00Z' } }],
  }));
  const cands = [
    { id: 'c1', poly: rect(100.0045, 25.005, 100.0055, 25.0055), score: 0.92 },
    { id: 'c2', poly: rect(100.008, 25.002, 100.0084, 25.0024), score: 0.61 },
    { id: 'c3', poly: rect(100.002, 25.008, 100.0023, 25.0083), score: 0.4 },
  ];
  fs.writeFileSync(path.join(dir, 'candidates.geojson'), JSON.stringify({
    type: 'FeatureCollection',
    features: cands.map((c) => ({ type: 'Feature', geometry: c.poly, properties: { id: c.id, score_max: c.score, score_mean: c.score * 0.8, area_m2: 400, image: 'DJI_0001.tif', model: 'poppy-synth', model_version: '1.0.0' } })),
  }));
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ images: 1, candidates: cands.length }));
  return dir;
}

/** A workspace with two villages (V01 上寨村, V02 下寨村), a 2026 season and the scan above imported. */
export async function makeSurveyWorkspace(dir: string): Promise<string> {
  const file = path.join(dir, 'survey.gpkg');
  const ws = Workspace.create(file);
  try {
    importZones(ws, {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { zone_id: 'V01', name: '上寨村' }, geometry: rect(100, 25, 100.01, 25.01) },
        { type: 'Feature', properties: { zone_id: 'V02', name: '下寨村' }, geometry: rect(100.01, 25, 100.02, 25.01) },
      ],
    }, { level: 'village' }, 'test');
    setSeason(ws, { id: '2026', name: '2026 禁种季', year: 2026 }, 'test');
    await importScanDir(ws, writeSurveyScanDir(path.join(dir, 'scan-DJI_0001')), 'test');
  } finally {
    ws.close();
  }
  return file;
}
