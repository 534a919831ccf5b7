import type { Geometry, LonLat } from '@tiandi/geo';

const TYPE = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6 } as const;

/** ISO WKB (little-endian, 2D) of a GeoJSON geometry. */
export function encodeWkb(g: Geometry): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    parts.push(b);
  };
  const pt = ([x, y]: LonLat) => {
    const b = Buffer.alloc(16);
    b.writeDoubleLE(x, 0);
    b.writeDoubleLE(y, 8);
    parts.push(b);
  };
  const header = (t: number) => {
    parts.push(Buffer.from([1]));
    u32(t);
  };
  const pts = (ps: LonLat[]) => {
    u32(ps.length);
    ps.forEach(pt);
  };
  const rings = (rs: LonLat[][]) => {
    u32(rs.length);
    rs.forEach(pts);
  };
  const write = (geom: Geometry): void => {
    header(TYPE[geom.type]);
    switch (geom.type) {
      case 'Point':
        pt(geom.coordinates);
        break;
      case 'LineString':
        pts(geom.coordinates);
        break;
      case 'Polygon':
        rings(geom.coordinates);
        break;
      case 'MultiPoint':
        u32(geom.coordinates.length);
        geom.coordinates.forEach((c) => write({ type: 'Point', coordinates: c }));
        break;
      case 'MultiLineString':
        u32(geom.coordinates.length);
        geom.coordinates.forEach((c) => write({ type: 'LineString', coordinates: c }));
        break;
      case 'MultiPolygon':
        u32(geom.coordinates.length);
        geom.coordinates.forEach((c) => write({ type: 'Polygon', coordinates: c }));
        break;
    }
  };
  write(g);
  return Buffer.concat(parts);
}

/** Decodes 2D WKB (either byte order; Z/M values dropped) to GeoJSON. */
export function decodeWkb(buf: Uint8Array, offset = 0): Geometry {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let o = offset;
  const read = (): Geometry => {
    const le = view.getUint8(o) === 1;
    o += 1;
    const raw = view.getUint32(o, le);
    o += 4;
    const dims = raw >= 3000 ? 4 : raw >= 2000 || raw >= 1000 ? 3 : 2;
    const t = raw % 1000;
    const u32 = () => {
      const v = view.getUint32(o, le);
      o += 4;
      return v;
    };
    const pt = (): LonLat => {
      const p: LonLat = [view.getFloat64(o, le), view.getFloat64(o + 8, le)];
      o += 8 * dims;
      return p;
    };
    const pts = () => Array.from({ length: u32() }, pt);
    const rings = () => Array.from({ length: u32() }, pts);
    switch (t) {
      case 1:
        return { type: 'Point', coordinates: pt() };
      case 2:
        return { type: 'LineString', coordinates: pts() };
      case 3:
        return { type: 'Polygon', coordinates: rings() };
      case 4:
        return { type: 'MultiPoint', coordinates: Array.from({ length: u32() }, () => (read() as { coordinates: LonLat }).coordinates) };
      case 5:
        return { type: 'MultiLineString', coordinates: Array.from({ length: u32() }, () => (read() as { coordinates: LonLat[] }).coordinates) };
      case 6:
        return { type: 'MultiPolygon', coordinates: Array.from({ length: u32() }, () => (read() as { coordinates: LonLat[][] }).coordinates) };
      default:
        throw new Error(`unsupported WKB geometry type ${raw}`);
    }
  };
  return read();
}
