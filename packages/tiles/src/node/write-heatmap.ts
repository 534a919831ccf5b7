import { writeFile } from 'node:fs/promises';
import type { GeoTiffSource } from '../read/open-geotiff-source';
import type { PagedCells } from '../scan/paged-cells';
import { cellToSourcePixel, type ScanPlan } from '../scan/scan-plan';
import { writeGeoTiff } from '../write/write-geotiff';
import type { ImageResult } from './finish-image';

/** What heatmap.tif says besides its scores: its size, where it lies, and when the image was taken. */
export interface HeatmapFile {
  width: number;
  height: number;
  geoTransform: [number, number, number, number, number, number];
  epsg?: number;
  /** The CRS without an EPSG code, written to a GDAL .aux.xml. */
  proj4?: string;
  acquired?: string;
}

/** The heatmap file of a scanned image: on the image grid, its geotransform the image's scaled to heatmap cells. */
export function heatmapFile(plan: ScanPlan, src: GeoTiffSource): HeatmapFile {
  const g = src.geoTransform;
  const [ax, ay] = cellToSourcePixel(plan, 0, 0);
  const sx = plan.cellWork * plan.fx;
  const sy = plan.cellWork * plan.fy;
  return {
    width: plan.heatWidth,
    height: plan.heatHeight,
    geoTransform: [g[0] + ax * g[1] + ay * g[2], sx * g[1], sy * g[2], g[3] + ax * g[4] + ay * g[5], sx * g[4], sy * g[5]],
    ...(src.crs.epsg ? { epsg: src.crs.epsg } : { proj4: src.crs.proj4 }),
    ...(src.acquired ? { acquired: `${src.acquired}Z` } : {}),
  };
}

/** Writes `scores` as a float32 GeoTIFF (nodata −1); a CRS without EPSG code goes into a GDAL .aux.xml. */
export async function writeHeatmapFile(path: string, f: HeatmapFile, scores: PagedCells<Float32Array>, signal?: AbortSignal): Promise<void> {
  await writeGeoTiff(
    path,
    {
      width: f.width,
      height: f.height,
      bands: 1,
      sampleType: 'float32',
      epsg: f.epsg,
      geoTransform: f.geoTransform,
      noData: -1,
      tileSize: 256,
      acquired: f.acquired,
      readRows: (y0, n) => {
        const a = scores.readRows(y0, n);
        for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) a[i] = -1;
        return a;
      },
    },
    signal,
  );
  if (f.proj4 !== undefined) {
    await writeFile(`${path}.aux.xml`, `<PAMDataset>\n  <SRS>${f.proj4.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</SRS>\n</PAMDataset>\n`);
  }
}

/** Writes the heatmap as a float32 GeoTIFF on the image grid (nodata −1); a CRS without EPSG code goes into a GDAL .aux.xml. */
export function writeHeatmap(path: string, heat: ImageResult['heat'], signal?: AbortSignal): Promise<void> {
  return writeHeatmapFile(path, heatmapFile(heat.plan, heat.source), heat.scores, signal);
}
