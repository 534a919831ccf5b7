import fs from 'node:fs';
import path from 'node:path';
import { importScanDir, importZones, setSeason, Workspace } from '@tiandi/store';
import { makeGeoTiff } from '../testing/make-geotiff';
import { REDNESS_MODEL_DIR } from '../testing/test-model';

/**
 * The redness segmentation model with the redness classifier as its verifier, copied into `dir`: a two-stage model
 * for adaptation tests (threshold 0: a 2-m red plot fills too little of its 6.4-m window to pass any other).
 */
export function twoStageRednessModel(dir: string): string {
  const d = path.join(dir, 'redness');
  fs.cpSync(REDNESS_MODEL_DIR, d, { recursive: true });
  fs.cpSync(path.join(REDNESS_MODEL_DIR, '../redness-cls'), path.join(d, 'verifier'), { recursive: true });
  const card = JSON.parse(fs.readFileSync(path.join(d, 'model.json'), 'utf8'));
  fs.writeFileSync(path.join(d, 'model.json'), JSON.stringify({ ...card, verifier: { model: 'verifier', threshold: 0, max_windows: 2 } }));
  return d;
}

/** A grid of 2 × 2-m red plots (20 px at 0.1 m), 6 m apart: `cols × rows` candidates for the redness test model. */
export function plotGrid(cols: number, rows: number) {
  const plots = [];
  for (let j = 0; j < rows; j++) for (let i = 0; i < cols; i++) plots.push({ x: 20 + 60 * i, y: 20 + 60 * j, w: 20, h: 20 });
  return { plots, width: 40 + 60 * cols, height: 40 + 60 * rows };
}

/**
 * A workspace for triage: one orthophoto (UTM 48N, 0.1 m) of red test plots, scanned for real with the tiles
 * package's redness test model and recorded; the image listed in `<dataDir>/rasters.json` so chips can be cut.
 */
export async function triageWorld(
  dir: string,
  dataDir: string,
  cols = 4,
  rows = 3,
  modelDir = REDNESS_MODEL_DIR,
): Promise<{ workspacePath: string; imagePath: string; candidates: number }> {
  const { plots, width, height } = plotGrid(cols, rows);
  const imagePath = path.join(dir, 'block-t.tif');
  fs.writeFileSync(imagePath, makeGeoTiff({ width, height, epsg: 32648, origin: [500_000, 3_090_000], pixelSize: 0.1, redPlots: plots }));
  const { scanImages } = await import('@tiandi/tiles/node');
  const summary = await scanImages({ images: [imagePath], modelDir, outDir: path.join(dir, 'scan'), workers: 0 });
  if (!summary.out_dir || summary.failed.length) throw new Error(`scan failed: ${JSON.stringify(summary.failed)}`);
  const workspacePath = path.join(dir, 'triage.gpkg');
  const ws = Workspace.create(workspacePath);
  try {
    const [foot] = JSON.parse(fs.readFileSync(path.join(summary.out_dir, 'footprint.geojson'), 'utf8')).features;
    importZones(
      ws,
      { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { zone_id: 'V01', name: '上寨村' }, geometry: foot.geometry }] },
      { level: 'village' },
      'test',
    );
    setSeason(ws, { id: '2026', year: 2026 }, 'test');
    await importScanDir(ws, summary.out_dir, 'operator');
  } finally {
    ws.close();
  }
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, 'rasters.json'),
    JSON.stringify([
      { kind: 'ortho', name: 'block-t.tif', file: imagePath, imageId: 'block-t.tif' },
      { kind: 'heatmap', name: 'block-t.tif', file: path.join(summary.out_dir, 'heatmap.tif'), imageId: 'block-t.tif' },
    ]),
  );
  return { workspacePath, imagePath, candidates: summary.candidates };
}
