import { bboxOf, type Geometry } from '@tiandi/geo';
import { decodeWkb, encodeWkb } from './wkb';

/**
 * A GeoPackage geometry blob (GeoPackage 1.3 §2.1.3): magic "GP", version 0, flags (little-endian,
 * xy envelope), srs_id, envelope [minx, maxx, miny, maxy], then standard WKB.
 */
export function toGpkgBlob(g: Geometry, srsId = 4326): Buffer {
  const h = Buffer.alloc(8 + 32);
  h.write('GP', 0, 'ascii');
  h.writeUInt8(0, 2);
  h.writeUInt8((1 << 1) | 1, 3);
  h.writeInt32LE(srsId, 4);
  const [minx, miny, maxx, maxy] = bboxOf(g);
  h.writeDoubleLE(minx, 8);
  h.writeDoubleLE(maxx, 16);
  h.writeDoubleLE(miny, 24);
  h.writeDoubleLE(maxy, 32);
  return Buffer.concat([h, encodeWkb(g)]);
}

const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** Reads a GeoPackage geometry blob back to GeoJSON (any envelope kind, either byte order). */
export function fromGpkgBlob(blob: Uint8Array): Geometry {
  if (blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry blob (no GP magic)');
  const flags = blob[3];
  const env = (flags >> 1) & 7;
  return decodeWkb(blob, 8 + (ENVELOPE_BYTES[env] ?? 0));
}
