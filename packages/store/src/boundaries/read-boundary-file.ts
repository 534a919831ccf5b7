import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { CrsError, crsFromWkt, getCrs, toWgs84, WGS84, type Crs } from '@tiandi/geo';
import { StoreError } from '../errors';
import type { BoundaryFeature, BoundaryFile } from './boundary-file';
import { readGpkgLayer } from './read-gpkg-layer';
import { readKml } from './read-kml';
import { readShapefile } from './read-shapefile';

/** Options of {@link readBoundaryFile}. */
export interface ReadBoundaryOptions {
  /** CRS of the coordinates when the file does not say (no `.prj`) or says wrongly: EPSG code or proj4. */
  crs?: string;
  /** GeoPackage layer (needed when there are several). */
  layer?: string;
  /** Shapefile attribute encoding, overriding `.cpg` (gbk, utf-8, 936 …). */
  encoding?: string;
}

function crsOrInputError(make: () => Crs, file: string, what: string): Crs {
  try {
    return make();
  } catch (err) {
    if (err instanceof CrsError) throw new StoreError('TIANDI_E_INPUT', `${what}: ${err.message}`, file);
    throw err;
  }
}

/** The CRS a GeoJSON's (pre-RFC 7946) `crs` member names, if any. */
function geojsonCrs(json: { crs?: { properties?: { name?: string } } }): string | undefined {
  const name = json.crs?.properties?.name;
  if (!name || /CRS84$/i.test(name)) return undefined;
  const m = /EPSG:{1,2}(\d+)$/i.exec(name);
  return m ? `EPSG:${m[1]}` : name;
}

/** Maps every coordinate of a (Multi)Polygon-like geometry; drops Z. */
function mapCoords(c: unknown, f: (xy: [number, number]) => [number, number]): unknown {
  if (Array.isArray(c) && typeof c[0] === 'number') return f([c[0] as number, c[1] as number]);
  return Array.isArray(c) ? c.map((x) => mapCoords(x, f)) : c;
}

/** Reprojects features to WGS 84 lon/lat, refusing coordinates that land off the Earth (a wrong or missing CRS). */
function toLonLat(features: BoundaryFeature[], crs: Crs, file: string): BoundaryFeature[] {
  const t = crs.id === WGS84.id ? undefined : toWgs84(crs);
  return features.map((f, i) => {
    if (!f.geometry) return f;
    const project = (xy: [number, number]): [number, number] => {
      let p: [number, number];
      try {
        p = t ? t.forward(xy) : xy;
      } catch {
        p = [NaN, NaN];
      }
      if (!(Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90)) {
        throw new StoreError(
          'TIANDI_E_INPUT',
          `第 ${i + 1} 个要素坐标 [${xy.join(', ')}] 不在 ${crs.id === WGS84.id ? '经纬度范围' : crs.name} feature ${i + 1}: coordinates [${xy.join(', ')}] are not ${crs.id === WGS84.id ? 'lon/lat degrees' : `valid in ${crs.name}`}: give the file's CRS with --crs "EPSG:<code>" (a shapefile's .prj may be missing)`,
          file,
        );
      }
      return p;
    };
    // A KML MultiGeometry arrives as a GeometryCollection: its members are reprojected one by one.
    type G = { type: string; coordinates?: unknown; geometries?: G[] };
    const reproject = (g: G): G =>
      g.type === 'GeometryCollection'
        ? { type: g.type, geometries: (g.geometries ?? []).map(reproject) }
        : { type: g.type, coordinates: mapCoords(g.coordinates, project) };
    return { ...f, geometry: reproject(f.geometry as G) as BoundaryFeature['geometry'] };
  });
}

/**
 * Reads zone boundaries from a Shapefile (with `.dbf`, `.prj`, `.cpg`), KML, KMZ, GeoPackage layer or GeoJSON
 * in any CRS, and returns the features in WGS 84 with their attribute names.
 * @throws StoreError `TIANDI_E_INPUT` naming the file and what to do.
 */
export async function readBoundaryFile(path: string, opts: ReadBoundaryOptions = {}): Promise<BoundaryFile> {
  const ext = extname(path).toLowerCase();
  const override = opts.crs ? crsOrInputError(() => getCrs(opts.crs!), path, '--crs') : undefined;
  let out: Omit<BoundaryFile, 'features' | 'crs' | 'note'> & { features: BoundaryFeature[] };
  let crs: Crs;
  if (ext === '.shp') {
    const s = await readShapefile(path, opts.encoding);
    crs = override ?? (s.prj ? crsOrInputError(() => crsFromWkt(s.prj!), path, '.prj') : WGS84);
    out = { format: 'shapefile', features: s.features, fields: s.fields, encoding: `${s.encoding} (${s.encodingFrom})` };
  } else if (ext === '.kml' || ext === '.kmz') {
    const k = await readKml(path, ext === '.kmz');
    crs = WGS84; // KML is WGS 84 by definition
    out = { format: ext === '.kmz' ? 'kmz' : 'kml', ...k };
  } else if (ext === '.gpkg') {
    const g = readGpkgLayer(path, opts.layer);
    crs = override ?? crsOrInputError(() => (g.crs.epsg ? getCrs(g.crs.epsg) : crsFromWkt(g.crs.wkt!)), path, `layer ${g.layer}`);
    out = { format: 'geopackage', features: g.features, fields: g.fields, layers: g.layers, layer: g.layer };
  } else if (ext === '.geojson' || ext === '.json') {
    let json: { type?: string; features?: unknown[]; crs?: { properties?: { name?: string } } };
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      throw new StoreError('TIANDI_E_INPUT', `无法读取为 JSON cannot read as JSON (${(e as Error).message}): export the zones as GeoJSON`, path);
    }
    if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features))
      throw new StoreError('TIANDI_E_INPUT', '不是 GeoJSON FeatureCollection not a GeoJSON FeatureCollection', path);
    const named = geojsonCrs(json);
    crs = override ?? (named ? crsOrInputError(() => getCrs(named), path, 'GeoJSON crs') : WGS84);
    const features = (json.features as { geometry?: BoundaryFeature['geometry']; properties?: Record<string, unknown> | null; id?: unknown }[]).map((f) => ({
      geometry: f?.geometry ?? null,
      properties: { ...(f?.id !== undefined && f?.properties?.id === undefined ? { id: f.id } : {}), ...(f?.properties ?? {}) },
    }));
    out = { format: 'geojson', features, fields: [...new Set(features.flatMap((f) => Object.keys(f.properties)))] };
  } else {
    throw new StoreError(
      'TIANDI_E_INPUT',
      `不支持的格式 unsupported boundary file '${ext || path}': give a .shp (with its .dbf/.prj/.cpg), .kml, .kmz, .gpkg or .geojson`,
      path,
    );
  }
  return { ...out, features: toLonLat(out.features, crs, path), crs: crs.epsg ? crs.id : crs.name, ...(crs.note ? { note: crs.note } : {}) };
}
