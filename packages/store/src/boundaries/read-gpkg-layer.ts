import Database from 'better-sqlite3';
import { StoreError } from '../errors';
import { fromGpkgBlob } from '../gpkg-geometry';
import type { BoundaryFeature } from './boundary-file';

interface LayerRow {
  table_name: string;
  column_name: string;
  srs_id: number;
}

/** Reads one feature layer of a GeoPackage (the only one, or `layer`), with its CRS as EPSG code or WKT. */
export function readGpkgLayer(
  path: string,
  layer?: string,
): { features: BoundaryFeature[]; fields: string[]; layers: string[]; layer: string; crs: { epsg?: number; wkt?: string } } {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new StoreError('TIANDI_E_INPUT', `无法打开 GeoPackage cannot open the GeoPackage (${(err as Error).message})`, path);
  }
  try {
    let rows: LayerRow[];
    try {
      rows = db
        .prepare(
          `SELECT g.table_name, g.column_name, g.srs_id FROM gpkg_geometry_columns g JOIN gpkg_contents c ON c.table_name = g.table_name WHERE c.data_type = 'features' ORDER BY g.table_name`,
        )
        .all() as LayerRow[];
    } catch {
      throw new StoreError(
        'TIANDI_E_INPUT',
        '不是 GeoPackage not a GeoPackage (no gpkg_geometry_columns table): export the layer as GeoPackage, Shapefile, KML or GeoJSON',
        path,
      );
    }
    const layers = rows.map((r) => r.table_name);
    const chosen = layer ? rows.find((r) => r.table_name === layer) : rows.length === 1 ? rows[0] : undefined;
    if (!chosen) {
      const why = layer ? `没有图层 no layer '${layer}'` : rows.length ? `有多个图层 several layers` : '没有要素图层 no feature layer';
      throw new StoreError('TIANDI_E_INPUT', `${why}: pass --layer <name> (layers: ${layers.join(', ') || 'none'})`, path);
    }
    const srs = db.prepare('SELECT organization, organization_coordsys_id AS code, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(chosen.srs_id) as
      | { organization: string; code: number; definition: string }
      | undefined;
    const crs =
      srs && /^epsg$/i.test(srs.organization) && srs.code > 0
        ? { epsg: srs.code }
        : srs && srs.definition && srs.definition !== 'undefined'
          ? { wkt: srs.definition }
          : { epsg: 4326 };
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const columns = (db.prepare(`PRAGMA table_info(${quote(chosen.table_name)})`).all() as { name: string; pk: number }[]).map((c) => c.name);
    const fields = columns.filter((c) => c !== chosen.column_name);
    const features: BoundaryFeature[] = [];
    for (const row of db.prepare(`SELECT * FROM ${quote(chosen.table_name)}`).iterate() as Iterable<Record<string, unknown>>) {
      const blob = row[chosen.column_name] as Uint8Array | null;
      const properties: Record<string, unknown> = {};
      for (const f of fields) properties[f] = row[f];
      features.push({ geometry: blob ? (fromGpkgBlob(blob) as BoundaryFeature['geometry']) : null, properties });
    }
    return { features, fields, layers, layer: chosen.table_name, crs };
  } finally {
    db.close();
  }
}
