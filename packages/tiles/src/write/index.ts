export { writeGeoTiff, overviewSizes, type WriteGeoTiffOptions, type RowSource } from './write-geotiff';
export type { GeoTransform } from './geo-tags';
export type { WriteCompression } from './encode-tile';
export { downsampleBand, type ValidityRule } from './downsample-band';
