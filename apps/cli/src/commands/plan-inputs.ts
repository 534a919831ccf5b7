import { readFile } from 'node:fs/promises';
import type { ElevationAt, OsmWay } from '@tiandi/planner';

/** Reads a roads file: GeoJSON lines, or an OpenStreetMap extract (.osm.pbf, .osm, gzip), told from its bytes. Throws with a message for people. */
export async function readRoadsFile(file: string): Promise<OsmWay[]> {
  const P = await import('@tiandi/planner');
  const bytes = new Uint8Array(await readFile(file));
  let i = 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09 || bytes[i] === 0xef || bytes[i] === 0xbb || bytes[i] === 0xbf)
  )
    i++;
  if (bytes[i] === 0x7b) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new Error(`不是有效的 JSON not valid JSON (${(e as Error).message}): export the roads as GeoJSON lines, or pass the OSM extract itself`);
    }
    return P.waysFromGeoJson(json as never).ways;
  }
  return P.waysFromOsm(bytes, file);
}

/** Ground heights from an SRTM tile (.hgt, .hgt.zip) or a single-band GeoTIFF in WGS 84 degrees (a drone DSM reprojected, a national DEM). */
export async function readDemFile(file: string): Promise<ElevationAt> {
  const P = await import('@tiandi/planner');
  const bytes = new Uint8Array(await readFile(file));
  const tiff = (bytes[0] === 0x49 && bytes[1] === 0x49) || (bytes[0] === 0x4d && bytes[1] === 0x4d);
  if (!tiff) return P.elevationFromHgt(bytes, file);
  // Through the tiles reader, as every GeoTIFF: its checks, its georeferencing (PixelIsPoint shifted as GDAL does).
  const { openGeoTiffSource } = await import('@tiandi/tiles/node');
  const inDegrees = `高程 GeoTIFF 须为经纬度 (EPSG:4326) the DEM GeoTIFF must be in WGS 84 degrees: reproject it with gdalwarp -t_srs EPSG:4326`;
  let src;
  try {
    src = await openGeoTiffSource(file, { values: true, cacheBytes: 1 << 20 });
  } catch (e) {
    // Georeferencing that puts the grid nowhere on Earth is mostly a projected DEM read in the wrong units.
    const code = (e as { code?: string }).code;
    throw new P.PlannerError('TIANDI_E_DEM', `${file}: ${(e as Error).message}${code === 'TIANDI_E_NO_GEOREF' ? `; ${inDegrees}` : ''}`);
  }
  let band: ArrayLike<number>;
  try {
    if (!src.crs.proj4.includes('+proj=longlat')) throw new P.PlannerError('TIANDI_E_DEM', `${file}: ${inDegrees}`);
    const all = await src.readSamples(0, [0, 0, src.width, src.height]);
    band = src.bands === 1 ? all : Float64Array.from({ length: src.width * src.height }, (_, i) => all[i * src.bands]);
  } finally {
    await src.close();
  }
  const { width: w, height: h } = src;
  const [ox, rx, , oy, , ry] = src.geoTransform;
  const half = 0.5; // heights are at pixel centres; the geotransform is at the corner
  const nodata = src.noData ?? null;
  return (lon, lat) => {
    // Outside the outer pixel centres by a rounding error still counts as on them.
    const x = Math.max(0, (lon - ox) / rx - half),
      y = Math.max(0, (lat - oy) / ry - half);
    if (!((lon - ox) / rx - half > -1e-6 && (lat - oy) / ry - half > -1e-6 && x <= w - 1 + 1e-6 && y <= h - 1 + 1e-6)) return NaN;
    const c = Math.min(w - 2, Math.floor(x)),
      r = Math.min(h - 2, Math.floor(y));
    const fx = x - c,
      fy = y - r;
    const v = [band[r * w + c], band[r * w + c + 1], band[(r + 1) * w + c], band[(r + 1) * w + c + 1]];
    if (v.some((z) => !Number.isFinite(z) || z === nodata)) return NaN;
    return (v[0] * (1 - fx) + v[1] * fx) * (1 - fy) + (v[2] * (1 - fx) + v[3] * fx) * fy;
  };
}
