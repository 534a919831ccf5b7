import { writeFile } from 'node:fs/promises';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import { cellToSourcePixel, type ScanPlan } from '../scan/scan-plan';
import { writeGeoTiff } from '../write/write-geotiff';
import type { ImageResult } from './finish-image';

/** The heatmap's geotransform: the image's, scaled to heatmap cells. */
function heatGeoTransform(src: GeoTiffSource, plan: ScanPlan): [number, number, number, number, number, number] {
  const g = src.geoTransform;
  const [ax, ay] = cellToSourcePixel(plan, 0, 0);
  const sx = plan.cellWork * plan.fx;
  const sy = plan.cellWork * plan.fy;
  return [g[0] + ax * g[1] + ay * g[2], sx * g[1], sy * g[2], g[3] + ax * g[4] + ay * g[5], sx * g[4], sy * g[5]];
}

/** Writes the heatmap as a float32 GeoTIFF on the image grid (nodata −1); a CRS without EPSG code goes into a GDAL .aux.xml. */
export async function writeHeatmap(path: string, heat: ImageResult['heat'], signal?: AbortSignal): Promise<void> {
  const { plan, scores, source } = heat;
  const w = plan.heatWidth;
  await writeGeoTiff(
    path,
    {
      width: w,
      height: plan.heatHeight,
      bands: 1,
      sampleType: 'float32',
      epsg: source.crs.epsg,
      geoTransform: heatGeoTransform(source, plan),
      noData: -1,
      tileSize: 256,
      acquired: source.acquired ? `${source.acquired}Z` : undefined,
      readRows: (y0, n) => {
        const a = scores.readRows(y0, n);
        for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) a[i] = -1;
        return a;
      },
    },
    signal,
  );
  if (!source.crs.epsg) {
    await writeFile(`${path}.aux.xml`, `<PAMDataset>\n  <SRS>${source.crs.proj4.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</SRS>\n</PAMDataset>\n`);
  }
}
