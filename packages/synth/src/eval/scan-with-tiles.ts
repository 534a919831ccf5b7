import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCrs, transformer } from '@tiandi/geo';
import { openGeoTiffSource, scanImages } from '@tiandi/tiles/node';
import type { EvalCandidate } from '../metrics/plot-metrics';
import { polygonRings } from './calibration-plots';

/** One image scanned by the full pipeline: its candidates and its heatmap with a lon/lat → cell mapping. */
export interface TilesScan {
  candidates: EvalCandidate[];
  heat: Float32Array;
  hw: number;
  hh: number;
  toHeat: (lon: number, lat: number) => [number, number];
  seconds: number;
}

/** Runs `scanImages` (@tiandi/tiles) on one GeoTIFF and reads back candidates.geojson and heatmap.tif. */
export async function scanWithTiles(tifPath: string, modelDir: string, outDir: string, signal?: AbortSignal): Promise<TilesScan> {
  const summary = await scanImages({ images: [tifPath], modelDir, outDir, signal, workers: 0 });
  if (summary.failed.length) throw new Error(`scan failed: ${summary.failed[0].code} ${summary.failed[0].message}`);
  const fc = JSON.parse(readFileSync(join(outDir, 'candidates.geojson'), 'utf8')) as {
    features: Array<{ properties: { score_max: number; area_m2: number }; geometry: { type: string; coordinates: unknown } }>;
  };
  const candidates: EvalCandidate[] = fc.features.map((f) => ({
    rings: polygonRings(f.geometry),
    score: f.properties.score_max,
    areaM2: f.properties.area_m2,
  }));
  // The heatmap through the tiles reader, as everything else reads GeoTIFFs (one open, its CRS resolution).
  const src = await openGeoTiffSource(join(outDir, 'heatmap.tif'), { cacheBytes: 1 << 20 });
  let heat: Float32Array;
  try {
    const samples = await src.readSamples(0, [0, 0, src.width, src.height]);
    heat = new Float32Array(src.width * src.height);
    for (let i = 0; i < heat.length; i++) heat[i] = samples[i * src.bands];
  } finally {
    await src.close();
  }
  const hw = src.width,
    hh = src.height;
  const crs = src.crs;
  const [ox, rx, , oy, , ry] = src.geoTransform;
  const tf = transformer(getCrs(4326), crs);
  return {
    candidates,
    heat,
    hw,
    hh,
    seconds: summary.seconds,
    toHeat: (lon, lat) => {
      const [x, y] = tf.forward([lon, lat]);
      return [(x - ox) / rx, (y - oy) / ry];
    },
  };
}
