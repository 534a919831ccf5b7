import { TYPE, type IfdEntry } from './tiff-ifd';

/** GDAL's affine geotransform: x = gt[0] + col·gt[1] + row·gt[2]; y = gt[3] + col·gt[4] + row·gt[5] (pixel corners). */
export type GeoTransform = readonly [number, number, number, number, number, number];

/** Geographic EPSG codes the writer tags as GeographicTypeGeoKey; everything else is projected. */
const GEOGRAPHIC = new Set([4326, 4490, 4269, 4258, 4283, 4612, 4214]);

/**
 * The GeoTIFF tags for an EPSG code and a geotransform: ModelPixelScale + ModelTiepoint when the
 * transform has no rotation, ModelTransformation when it has; GeoKeys with PixelIsArea.
 */
export function geoTags(epsg: number | undefined, gt: GeoTransform): IfdEntry[] {
  const tags: IfdEntry[] = [];
  if (gt[2] === 0 && gt[4] === 0) {
    tags.push({ tag: 33550, type: TYPE.DOUBLE, values: [gt[1], -gt[5], 0] });
    tags.push({ tag: 33922, type: TYPE.DOUBLE, values: [0, 0, 0, gt[0], gt[3], 0] });
  } else {
    tags.push({
      tag: 34264,
      type: TYPE.DOUBLE,
      values: [gt[1], gt[2], 0, gt[0], gt[4], gt[5], 0, gt[3], 0, 0, 0, 0, 0, 0, 0, 1],
    });
  }
  if (epsg === undefined) return tags;
  const geographic = GEOGRAPHIC.has(epsg);
  const keys: number[][] = [
    [1024, 0, 1, geographic ? 2 : 1], // GTModelTypeGeoKey
    [1025, 0, 1, 1], // GTRasterTypeGeoKey = PixelIsArea
  ];
  if (geographic) keys.push([2048, 0, 1, epsg], [2054, 0, 1, 9102]);
  else keys.push([3072, 0, 1, epsg], [3076, 0, 1, 9001]);
  tags.push({ tag: 34735, type: TYPE.SHORT, values: [1, 1, 0, keys.length, ...keys.flat()] });
  return tags;
}
