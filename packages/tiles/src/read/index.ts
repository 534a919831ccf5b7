export { openGeoTiffSource, type GeoTiffSource, type OpenGeoTiffOptions, type PixelBox, type SourceLevel } from './open-geotiff-source';
export { resampleArea, type RgbRaster } from './resample-area';
export { applyGeoTransform, invertGeoTransform, geoTransformFromTags, crsFromGeoKeys, localDistanceM } from './georef';
export { DECODERS } from './codecs';
export { LIMITS } from './limits';
