import { crsFromGeoKeys as crsOfGeoKeys, CrsError, toWgs84, type Crs } from '@tiandi/geo/crs';
import { TilesError } from '../errors';
import type { GeoTransform } from '../write/geo-tags';

/** The GeoTIFF tags georeferencing depends on (values as geotiff.js returns them). */
export interface GeoTags {
  modelTransformation?: readonly number[];
  modelTiepoint?: readonly number[];
  modelPixelScale?: readonly number[];
  geoKeys?: Record<string, unknown> | null;
}

/**
 * GDAL's geotransform (pixel-corner convention) from ModelTransformation, or from tie point + pixel scale.
 * PixelIsPoint rasters are shifted half a pixel, as GDAL does.
 * @throws TilesError `TIANDI_E_NO_GEOREF` when neither is present.
 */
export function geoTransformFromTags(tags: GeoTags, path: string): GeoTransform {
  let gt: [number, number, number, number, number, number];
  const m = tags.modelTransformation;
  const tp = tags.modelTiepoint;
  const sc = tags.modelPixelScale;
  if (m && m.length >= 16) {
    gt = [m[3], m[0], m[1], m[7], m[4], m[5]];
  } else if (tp && tp.length >= 6 && sc && sc.length >= 2) {
    // A negative ScaleY is read as positive (north-up), as GDAL does by default (GTIFF_HONOUR_NEGATIVE_SCALEY=NO).
    const sy = Math.abs(sc[1]);
    gt = [tp[3] - tp[0] * sc[0], sc[0], 0, tp[4] + tp[1] * sy, 0, -sy];
  } else {
    throw new TilesError(
      'TIANDI_E_NO_GEOREF',
      '没有地理参考 no georeferencing (no GeoTIFF tie point/scale or transformation, no .aux.xml, no world file .tfw/.tifw/.wld): ' +
        'export a GeoTIFF from the mapping software, or add one: gdal_translate -a_srs EPSG:<code> -a_ullr <ulx> <uly> <lrx> <lry> in.tif out.tif',
      path,
    );
  }
  if (!gt.every(Number.isFinite) || gt[1] * gt[5] - gt[2] * gt[4] === 0) {
    throw new TilesError('TIANDI_E_NO_GEOREF', '地理参考无效 degenerate georeferencing (zero or non-finite pixel size)', path);
  }
  if (tags.geoKeys?.GTRasterTypeGeoKey === 2) {
    gt[0] -= 0.5 * gt[1] + 0.5 * gt[2];
    gt[3] -= 0.5 * gt[4] + 0.5 * gt[5];
  }
  return gt;
}

/**
 * The CRS from the GeoKeys, as GDAL reads them (EPSG code, or a user-defined projection, datum, ellipsoid and
 * TOWGS84; a compound CRS's vertical part ignored), unless `override` is given.
 * @throws TilesError `TIANDI_E_UNKNOWN_CRS` when the keys give no usable CRS, telling the user about --crs.
 */
export function crsFromGeoKeys(geoKeys: Record<string, unknown> | null | undefined, path: string, override?: Crs): Crs {
  if (override) return override;
  if (!geoKeys) {
    throw new TilesError('TIANDI_E_UNKNOWN_CRS', '未声明坐标系 the file declares no CRS (no GeoKeys); pass --crs "EPSG:<code>" or --crs "<proj4>"', path);
  }
  try {
    return crsOfGeoKeys(geoKeys);
  } catch (err) {
    if (err instanceof CrsError) throw new TilesError('TIANDI_E_UNKNOWN_CRS', err.message, path);
    throw err;
  }
}

/** Maps a pixel (col, row; corners at integers) to CRS coordinates. */
export function applyGeoTransform(gt: GeoTransform, col: number, row: number): [number, number] {
  return [gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]];
}

/** Maps CRS coordinates back to a (fractional) pixel. */
export function invertGeoTransform(gt: GeoTransform, x: number, y: number): [number, number] {
  const det = gt[1] * gt[5] - gt[2] * gt[4];
  const dx = x - gt[0];
  const dy = y - gt[3];
  return [(dx * gt[5] - dy * gt[2]) / det, (dy * gt[1] - dx * gt[4]) / det];
}

/** A function from pixel (col, row) to WGS 84 [lon, lat]. */
export function pixelToWgs84(gt: GeoTransform, crs: Crs): (col: number, row: number) => [number, number] {
  const t = toWgs84(crs);
  return (col, row) => t.forward(applyGeoTransform(gt, col, row));
}

/** Ground distance in metres between two nearby [lon, lat] points (local ellipsoidal approximation, < 1e-6 relative over metres). */
export function localDistanceM(a: [number, number], b: [number, number]): number {
  const lat = (((a[1] + b[1]) / 2) * Math.PI) / 180;
  const e2 = 0.00669437999014;
  const aM = 6378137;
  const w = Math.sqrt(1 - e2 * Math.sin(lat) ** 2);
  const mPerDegLat = ((Math.PI / 180) * aM * (1 - e2)) / w ** 3;
  const mPerDegLon = ((Math.PI / 180) * aM * Math.cos(lat)) / w;
  return Math.hypot((a[0] - b[0]) * mPerDegLon, (a[1] - b[1]) * mPerDegLat);
}

/** Ground sample distance in metres along columns (x) and rows (y), measured at a pixel. */
export function groundSampleDistance(toWgs: (c: number, r: number) => [number, number], col: number, row: number): { x: number; y: number } {
  const d = 16;
  const p = toWgs(col, row);
  return { x: localDistanceM(p, toWgs(col + d, row)) / d, y: localDistanceM(p, toWgs(col, row + d)) / d };
}

/** Finest ground pixel any drone orthophoto has; finer means a CRS that reads degrees as metres. */
export const MIN_PLAUSIBLE_GSD_M = 0.001;

/**
 * Why an image's georeferencing cannot be right, or undefined when it may be: a corner off the Earth
 * (projected metres tagged as degrees put the image at longitude 718 568°) or a pixel finer than a millimetre
 * (degrees tagged as metres). Both come from a wrong CRS tag, so the message says to pass the right one.
 * `toWgs` maps pixel (col, row) to [lon, lat]; it may throw or give NaN off its CRS's area.
 */
export function implausibleGeoref(
  gt: GeoTransform,
  width: number,
  height: number,
  toWgs: (col: number, row: number) => [number, number],
  gsdM: { x: number; y: number },
  crsId: string,
): string | undefined {
  const onEarth = (col: number, row: number) => {
    try {
      const [lon, lat] = toWgs(col, row);
      return Math.abs(lon) <= 180 + 1e-9 && Math.abs(lat) <= 90 + 1e-9;
    } catch {
      return false;
    }
  };
  const off = (
    [
      [0, 0],
      [width, 0],
      [width, height],
      [0, height],
    ] as const
  ).find(([c, r]) => !onEarth(c, r));
  if (off) {
    const at = applyGeoTransform(gt, off[0], off[1])
      .map((v) => +v.toPrecision(9))
      .join(', ');
    return `地理参考无效 georeferencing puts an image corner at ${at} in ${crsId}, which is not on the Earth (projected metres tagged as degrees?): pass the right CRS with --crs "EPSG:<code>"`;
  }
  const g = Math.min(gsdM.x, gsdM.y);
  if (g < MIN_PLAUSIBLE_GSD_M) {
    return `地理参考无效 a pixel would be ${g.toPrecision(2)} m on the ground in ${crsId}, finer than any drone orthophoto (≥ ${MIN_PLAUSIBLE_GSD_M} m; degrees tagged as metres?): pass the right CRS with --crs "EPSG:<code>"`;
  }
  return undefined;
}
