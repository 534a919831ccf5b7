export type { BoundaryFeature, BoundaryFile } from './boundary-file';
export { readBoundaryFile, type ReadBoundaryOptions } from './read-boundary-file';
export { previewBoundary, zoneCollection, type BoundaryPreview, type FieldPreview, type ZoneFieldOptions } from './zone-fields';
export { shapefileEncoding } from './read-shapefile';
