import { fromFile, type GeoTIFF, type GeoTIFFImage } from 'geotiff';
import { crsFromGeoKeys, getCrs, transformer, WGS84, type Crs, type Transformer } from '@tiandi/geo';
import type { GeoTiffSource } from '@tiandi/tiles/node';
import { zoomForResolution } from './tile-math';

/** How a raster is drawn: true colour (orthophoto) or a colour ramp over one band (heatmap). */
export type RasterKind = 'ortho' | 'heatmap';

/** One resolution level of a GeoTIFF (full resolution first, then its overviews). */
export interface RasterLevel {
  image: GeoTIFFImage;
  width: number;
  height: number;
  /** Size of one pixel of this level in CRS units (x, y both positive). */
  resX: number;
  resY: number;
}

/** An opened GeoTIFF ready for tile rendering. */
export interface RasterSource {
  file: string;
  kind: RasterKind;
  tiff: GeoTIFF;
  crs: Crs;
  /** WGS 84 → source CRS. */
  toSource: Transformer;
  /** Upper-left corner of the full-resolution grid in CRS units. */
  originX: number;
  originY: number;
  levels: RasterLevel[];
  bands: number;
  bitsPerSample: number;
  /** Sample format of band 1: 1 unsigned int, 2 signed int, 3 float. */
  sampleFormat: number;
  nodata: number | null;
  /** Whether band 4 is alpha (RGBA orthophotos). */
  hasAlpha: boolean;
  /** Max value to map to 255 for >8-bit imagery (a robust stretch). */
  scaleMax: number;
  /** [w, s, e, n] in WGS 84 degrees. */
  boundsLonLat: [number, number, number, number];
  /** Suggested zoom range for XYZ tiles. */
  minzoom: number;
  maxzoom: number;
  /** Ground size of a full-resolution pixel, metres (approximate for geographic CRSs). */
  gsdM: number;
  /** Orthophotos: the tiles package's windowed reader (block cache, all codecs, masks), when it opens the file. */
  reader: GeoTiffSource | null;
}

/**
 * Opens a GeoTIFF for tile rendering: its CRS (EPSG from the GeoKeys), its levels (internal
 * overviews), nodata/alpha, WGS 84 bounds and a sensible zoom range. Reads headers only.
 */
export async function openRasterSource(file: string, kind: RasterKind, signal?: AbortSignal): Promise<RasterSource> {
  const tiff = await fromFile(file, signal);
  const base = await tiff.getImage(0);
  // Any EPSG code or user-defined GeoKeys, read as the scanner reads them; a file without keys is taken as WGS 84.
  const keys = base.getGeoKeys() as Record<string, unknown> | null;
  const crs = keys ? crsFromGeoKeys(keys) : getCrs(4326);
  const [originX, originY] = base.getOrigin();
  const [rx, ry] = base.getResolution();
  const resX = Math.abs(rx);
  const resY = Math.abs(ry);
  const width = base.getWidth();
  const height = base.getHeight();
  const levels: RasterLevel[] = [{ image: base, width, height, resX, resY }];
  const count = await tiff.getImageCount();
  for (let i = 1; i < count; i++) {
    const img = await tiff.getImage(i);
    const fd = img.fileDirectory as unknown as { NewSubfileType?: number; getValue?: (k: string) => unknown };
    const subfile = typeof fd.getValue === 'function' ? (fd.getValue('NewSubfileType') as number | undefined) : fd.NewSubfileType;
    // Skip masks (bit 2) and anything that is not a reduced-resolution copy of the same area.
    if (subfile !== undefined && (subfile & 4) !== 0) continue;
    if (img.getSamplesPerPixel() !== base.getSamplesPerPixel()) continue;
    const w = img.getWidth();
    const h = img.getHeight();
    if (w >= width) continue;
    levels.push({ image: img, width: w, height: h, resX: (resX * width) / w, resY: (resY * height) / h });
  }
  levels.sort((a, b) => a.resX - b.resX);

  const toSource = transformer(WGS84, crs);
  const toWgs = transformer(crs, WGS84);
  const corners = [
    [originX, originY],
    [originX + width * resX, originY],
    [originX, originY - height * resY],
    [originX + width * resX, originY - height * resY],
    [originX + (width * resX) / 2, originY],
    [originX + (width * resX) / 2, originY - height * resY],
  ].map(([x, y]) => toWgs.forward([x, y]));
  const lons = corners.map((c) => c[0]);
  const lats = corners.map((c) => c[1]);
  const boundsLonLat: [number, number, number, number] = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  const midLat = (boundsLonLat[1] + boundsLonLat[3]) / 2;
  const metresPerUnit = crs.proj4.includes('+proj=longlat') ? 111_320 * Math.cos((midLat * Math.PI) / 180) : 1;
  const gsdM = resX * metresPerUnit;
  const coarsestM = levels[levels.length - 1].resX * metresPerUnit;
  // Below minzoom one tile would need more than ~8 source pixels per tile pixel from the coarsest level.
  // A coarsest level of ≤ 1024 px is cheap to read whole, so any zoom works.
  const coarsest = levels[levels.length - 1];
  const minzoom = Math.max(coarsest.width, coarsest.height) <= 1024 ? 0 : Math.max(0, Math.ceil(zoomForResolution(coarsestM * 8, midLat)));
  const maxzoom = Math.min(24, Math.max(minzoom, Math.ceil(zoomForResolution(gsdM, midLat)) + 1));

  const sampleFormat = Number((base.getSampleFormat?.(0) as number | undefined) ?? 1);
  const bitsPerSample = Number(base.getBitsPerSample?.(0) ?? 8);
  const nodataRaw = base.getGDALNoData?.();
  const extra = (base.fileDirectory as unknown as { getValue?: (k: string) => unknown; ExtraSamples?: unknown });
  const extraSamples = typeof extra.getValue === 'function' ? extra.getValue('ExtraSamples') : extra.ExtraSamples;
  const bands = base.getSamplesPerPixel();
  const hasAlpha = kind === 'ortho' && (bands === 4 || (bands === 2 && extraSamples !== undefined));
  const source: RasterSource = {
    file,
    kind,
    tiff,
    crs,
    toSource,
    originX,
    originY,
    levels,
    bands,
    bitsPerSample,
    sampleFormat,
    nodata: nodataRaw === null || nodataRaw === undefined || Number.isNaN(Number(nodataRaw)) ? null : Number(nodataRaw),
    hasAlpha,
    scaleMax: 255,
    boundsLonLat,
    minzoom,
    maxzoom,
    gsdM,
    reader: null,
  };
  source.scaleMax = await robustMax(source, signal);
  if (kind === 'ortho') {
    try {
      const { openGeoTiffSource } = await import('@tiandi/tiles/node');
      source.reader = await openGeoTiffSource(file, { cacheBytes: 64 << 20, signal });
      source.toSource = transformer(WGS84, source.reader.crs);
    } catch {
      source.reader = null; // geotiff.js path below still draws what it can
    }
  }
  return source;
}

/** The value that maps to full brightness: 255 for 8-bit, else the 99.5th percentile of the coarsest level. */
async function robustMax(src: RasterSource, signal?: AbortSignal): Promise<number> {
  if (src.kind === 'ortho' && src.bitsPerSample <= 8) return 255;
  if (src.kind === 'heatmap' && src.sampleFormat !== 3 && src.bitsPerSample <= 8) return 255;
  if (src.kind === 'heatmap' && src.sampleFormat === 3) return 1;
  const level = src.levels[src.levels.length - 1];
  const scale = Math.max(1, Math.ceil(Math.max(level.width, level.height) / 512));
  const data = (await level.image.readRasters({ samples: [0], width: Math.ceil(level.width / scale), height: Math.ceil(level.height / scale), signal })) as unknown as ArrayLike<number>[];
  const band = data[0];
  const values: number[] = [];
  for (let i = 0; i < band.length; i++) if (band[i] !== src.nodata && band[i] > 0) values.push(band[i]);
  if (values.length === 0) return 2 ** src.bitsPerSample - 1;
  values.sort((a, b) => a - b);
  return Math.max(1, values[Math.floor(values.length * 0.995)]);
}
