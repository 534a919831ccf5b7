import { transformer, WGS84, type Crs, type Transformer } from '@tiandi/geo';
import { openGeoTiffSource, type GeoTiffSource } from '@tiandi/tiles/node';
import { zoomForResolution } from './tile-math';

/** How a raster is drawn: true colour (orthophoto) or a colour ramp over one band (heatmap). */
export type RasterKind = 'ortho' | 'heatmap';

/** One resolution level of a GeoTIFF (full resolution first, then its overviews). */
export interface RasterLevel {
  /** Index into the reader's levels (for {@link GeoTiffSource.readSamples}). */
  index: number;
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
  /** The tiles package's reader: the one open file handle, the one CRS resolution. */
  reader: GeoTiffSource;
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
  /** Max value to map to 255 for >8-bit values (a robust stretch). */
  scaleMax: number;
  /** [w, s, e, n] in WGS 84 degrees. */
  boundsLonLat: [number, number, number, number];
  /** Suggested zoom range for XYZ tiles. */
  minzoom: number;
  maxzoom: number;
  /** Ground size of a full-resolution pixel, metres (approximate for geographic CRSs). */
  gsdM: number;
}

/**
 * Opens a GeoTIFF for tile rendering through `@tiandi/tiles` (its checks, codecs and georeferencing: GeoKeys,
 * sidecars; a file without a CRS is refused with TIANDI_E_UNKNOWN_CRS, never taken as WGS 84), and derives its
 * levels, WGS 84 bounds and a sensible zoom range. Reads headers only (and, for >8-bit values, the coarsest level).
 * @throws TilesError with a `TIANDI_E_*` code when the file cannot be read.
 */
export async function openRasterSource(file: string, kind: RasterKind, signal?: AbortSignal): Promise<RasterSource> {
  const reader = await openGeoTiffSource(file, { cacheBytes: kind === 'ortho' ? 64 << 20 : 8 << 20, signal });
  try {
    const source = describeSource(file, kind, reader);
    source.scaleMax = await robustMax(source, signal);
    return source;
  } catch (err) {
    await reader.close();
    throw err;
  }
}

function describeSource(file: string, kind: RasterKind, reader: GeoTiffSource): RasterSource {
  const [originX, resXSigned, , originY, , resYSigned] = reader.geoTransform;
  const resX = Math.abs(resXSigned);
  const resY = Math.abs(resYSigned);
  const { width, height, crs } = reader;
  const levels = reader.levels
    .map((l, index) => ({ index, width: l.width, height: l.height, resX: resX * l.scaleX, resY: resY * l.scaleY }))
    .sort((a, b) => a.resX - b.resX);
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
  const coarsest = levels[levels.length - 1];
  const coarsestM = coarsest.resX * metresPerUnit;
  // Below minzoom one tile would need more than ~8 source pixels per tile pixel from the coarsest level.
  // A coarsest level of ≤ 1024 px is cheap to read whole, so any zoom works.
  const minzoom = Math.max(coarsest.width, coarsest.height) <= 1024 ? 0 : Math.max(0, Math.ceil(zoomForResolution(coarsestM * 8, midLat)));
  const maxzoom = Math.min(24, Math.max(minzoom, Math.ceil(zoomForResolution(gsdM, midLat)) + 1));
  const nodata = reader.noData;
  return {
    file,
    kind,
    reader,
    crs,
    toSource: transformer(WGS84, crs),
    originX,
    originY,
    levels,
    bands: reader.bands,
    bitsPerSample: reader.layout.bitsPerSample,
    sampleFormat: reader.layout.sampleFormat,
    nodata: nodata === undefined || Number.isNaN(nodata) ? null : nodata,
    scaleMax: 255,
    boundsLonLat,
    minzoom,
    maxzoom,
    gsdM,
  };
}

/** The value that maps to full brightness: 255 for 8-bit, 1 for a float heatmap, else the 99.5th percentile of the coarsest level. */
async function robustMax(src: RasterSource, signal?: AbortSignal): Promise<number> {
  if (src.kind === 'ortho') return 255; // the reader stretches orthophotos to 8 bits itself
  if (src.sampleFormat !== 3 && src.bitsPerSample <= 8) return 255;
  if (src.sampleFormat === 3) return 1;
  const level = src.levels[src.levels.length - 1];
  if (level.width * level.height > 4096 * 4096) return 2 ** src.bitsPerSample - 1;
  const data = await src.reader.readSamples(level.index, [0, 0, level.width, level.height], signal);
  const values: number[] = [];
  for (let i = 0; i < data.length; i += src.bands) if (data[i] !== src.nodata && data[i] > 0) values.push(data[i]);
  if (values.length === 0) return 2 ** src.bitsPerSample - 1;
  values.sort((a, b) => a - b);
  return Math.max(1, values[Math.floor(values.length * 0.995)]);
}
