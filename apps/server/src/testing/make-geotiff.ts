import { writeArrayBuffer } from 'geotiff';

/**
 * A small georeferenced RGB GeoTIFF (uncompressed, 8-bit, WGS 84 or UTM) for tests: a green field
 * with a brighter square, so tiles and pixel checks have something to find.
 */
export function makeGeoTiff(
  opts: {
    width?: number;
    height?: number;
    /** Upper-left corner in CRS units ([lon, lat] for 4326, [easting, northing] for UTM). */
    origin?: [number, number];
    /** Pixel size in CRS units. */
    pixelSize?: number;
    epsg?: number;
    /** Pixel boxes painted pure red (what the tiles package's redness test model detects). */
    redPlots?: { x: number; y: number; w: number; h: number }[];
  } = {},
): Buffer {
  const width = opts.width ?? 64;
  const height = opts.height ?? 48;
  const epsg = opts.epsg ?? 4326;
  const origin = opts.origin ?? [102.5, 27.5];
  const px = opts.pixelSize ?? (epsg === 4326 ? 1e-6 : 0.1);
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inSquare = !opts.redPlots && x > width / 4 && x < width / 2 && y > height / 4 && y < height / 2;
      const red = opts.redPlots?.some((p) => x >= p.x && x < p.x + p.w && y >= p.y && y < p.y + p.h);
      data[i] = red ? 230 : inSquare ? 220 : 60 + ((x * 3) % 40);
      data[i + 1] = red ? 30 : inSquare ? 90 : 140 + ((y * 5) % 50);
      data[i + 2] = red ? 30 : inSquare ? 160 : 50;
    }
  }
  const geographic = epsg === 4326 || epsg === 4490;
  const geoKeys = geographic
    ? { GTModelTypeGeoKey: 2, GTRasterTypeGeoKey: 1, GeographicTypeGeoKey: epsg }
    : { GTModelTypeGeoKey: 1, GTRasterTypeGeoKey: 1, ProjectedCSTypeGeoKey: epsg };
  const buf = writeArrayBuffer(data, {
    width,
    height,
    SamplesPerPixel: 3,
    BitsPerSample: [8, 8, 8],
    PhotometricInterpretation: 2,
    PlanarConfiguration: 1,
    ModelPixelScale: [px, px, 0],
    ModelTiepoint: [0, 0, 0, origin[0], origin[1], 0],
    ...geoKeys,
  } as never);
  return Buffer.from(buf);
}
