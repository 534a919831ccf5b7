import { encodeHeader, encodeIfd, type IfdEntry, TYPE } from '../write/tiff-ifd';

/** What a crafted test TIFF holds; every tag can be overridden or added with `tags`. */
export interface CraftTiffOptions {
  width?: number;
  height?: number;
  /** Tile size; omitted: one strip holding the whole image. */
  tile?: [number, number];
  samples?: 1 | 3;
  bitsPerSample?: 8 | 16 | 32;
  sampleFormat?: 1 | 3;
  compression?: number;
  predictor?: number;
  /** Compressed (or raw) bytes of each block, in order; default: raw zero-filled blocks. */
  blocks?: Uint8Array[];
  /** ModelPixelScale (x, y, z); default 0.05 m. */
  pixelScale?: [number, number, number];
  /** ModelTiepoint (i, j, k, x, y, z); default UTM 47N near 100°E 25°N. */
  tiepoint?: number[];
  /** Extra or replacing entries (same tag replaces). */
  tags?: IfdEntry[];
}

/**
 * A small little-endian classic GeoTIFF (EPSG:32647) built entry by entry, for tests of hostile and edge-case
 * headers. Blocks follow the header; the IFD follows the blocks. Use {@link patchEntry} to make an entry lie.
 */
export function craftTiff(o: CraftTiffOptions = {}): Buffer {
  const width = o.width ?? 64;
  const height = o.height ?? 64;
  const samples = o.samples ?? 3;
  const bps = o.bitsPerSample ?? 8;
  const [bw, bh] = o.tile ?? [width, height];
  const nBlocks = Math.ceil(width / bw) * Math.ceil(height / bh);
  const blocks = o.blocks ?? Array.from({ length: nBlocks }, () => new Uint8Array(bw * bh * samples * (bps / 8)));
  const offsets: number[] = [];
  let at = 8;
  for (const b of blocks) {
    offsets.push(at);
    at += b.length + (b.length % 2);
  }
  const entries: IfdEntry[] = [
    { tag: 256, type: TYPE.LONG, values: [width] },
    { tag: 257, type: TYPE.LONG, values: [height] },
    { tag: 258, type: TYPE.SHORT, values: Array(samples).fill(bps) },
    { tag: 259, type: TYPE.SHORT, values: [o.compression ?? 1] },
    { tag: 262, type: TYPE.SHORT, values: [samples === 3 ? 2 : 1] },
    { tag: 277, type: TYPE.SHORT, values: [samples] },
    { tag: 284, type: TYPE.SHORT, values: [1] },
    { tag: 339, type: TYPE.SHORT, values: Array(samples).fill(o.sampleFormat ?? 1) },
    ...(o.predictor !== undefined ? [{ tag: 317, type: TYPE.SHORT, values: [o.predictor] }] : []),
    ...(o.tile
      ? [
          { tag: 322, type: TYPE.LONG, values: [bw] },
          { tag: 323, type: TYPE.LONG, values: [bh] },
          { tag: 324, type: TYPE.LONG, values: offsets },
          { tag: 325, type: TYPE.LONG, values: blocks.map((b) => b.length) },
        ]
      : [
          { tag: 273, type: TYPE.LONG, values: offsets },
          { tag: 278, type: TYPE.LONG, values: [bh] },
          { tag: 279, type: TYPE.LONG, values: blocks.map((b) => b.length) },
        ]),
    { tag: 33550, type: TYPE.DOUBLE, values: o.pixelScale ?? [0.05, 0.05, 0] },
    { tag: 33922, type: TYPE.DOUBLE, values: o.tiepoint ?? [0, 0, 0, 500000, 2766000, 0] },
    { tag: 34735, type: TYPE.SHORT, values: [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32647] },
  ];
  const merged = new Map<number, IfdEntry>(entries.map((e) => [e.tag, e]));
  for (const e of o.tags ?? []) merged.set(e.tag, e);
  const body = Buffer.alloc(at - 8);
  blocks.forEach((b, i) => body.set(b, offsets[i] - 8));
  return Buffer.concat([encodeHeader(at, false), body, encodeIfd([...merged.values()], at, 0, false)]);
}

/** Rewrites the count (and optionally the value/offset field) of `tag` in the first IFD of a little-endian classic TIFF. */
export function patchEntry(tiff: Buffer, tag: number, patch: { count?: number; valueOrOffset?: number; type?: number }): Buffer {
  const out = Buffer.from(tiff);
  const ifd = out.readUInt32LE(4);
  const n = out.readUInt16LE(ifd);
  for (let i = 0; i < n; i++) {
    const p = ifd + 2 + i * 12;
    if (out.readUInt16LE(p) !== tag) continue;
    if (patch.type !== undefined) out.writeUInt16LE(patch.type, p + 2);
    if (patch.count !== undefined) out.writeUInt32LE(patch.count, p + 4);
    if (patch.valueOrOffset !== undefined) out.writeUInt32LE(patch.valueOrOffset, p + 8);
    return out;
  }
  throw new Error(`tag ${tag} not in the first IFD`);
}
