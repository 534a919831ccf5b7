/** A boundary feature as read from any format: geometry still in the file's CRS, attributes as found. */
export interface BoundaryFeature {
  geometry: { type: string; coordinates: unknown } | null;
  properties: Record<string, unknown>;
}

/** What a boundary file holds before it becomes zones: features in WGS 84, and what was read to get there. */
export interface BoundaryFile {
  format: 'shapefile' | 'kml' | 'kmz' | 'geopackage' | 'geojson';
  /** Features in WGS 84 lon/lat (RFC 7946). */
  features: BoundaryFeature[];
  /** Attribute names in file order. */
  fields: string[];
  /** The CRS the coordinates were in (`EPSG:4547`, a WKT's name, …). */
  crs: string;
  /** GeoPackage: every feature layer, and the one read. */
  layers?: string[];
  layer?: string;
  /** Shapefile: the text encoding used for the attributes, and where it came from. */
  encoding?: string;
  /** Said once: e.g. a datum with no known shift to WGS 84. */
  note?: string;
}
