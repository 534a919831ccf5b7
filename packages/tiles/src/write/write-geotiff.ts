import { open, rm, rename, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { TilesError, throwIfAborted } from '../errors';
import { downsampleBand } from './downsample-band';
import { encodeTile, COMPRESSION_TAG, type TileCodec, type WriteCompression } from './encode-tile';
import { geoTags, type GeoTransform } from './geo-tags';
import { encodeHeader, encodeIfd, ifdByteLength, TYPE, type IfdEntry } from './tiff-ifd';

/** Pixel-interleaved samples of `rows` full-width rows starting at row `y0` (length width·rows·bands). */
export type RowSource = (y0: number, rows: number) => Promise<Uint8Array | Float32Array> | Uint8Array | Float32Array;

/** What {@link writeGeoTiff} writes. */
export interface WriteGeoTiffOptions {
  width: number;
  height: number;
  /** 1 (grey / scalar), 3 (RGB) or 4 (RGBA, the last band an unassociated alpha mask). */
  bands: 1 | 3 | 4;
  /** Sample type; float32 only with 1 band. Default uint8. */
  sampleType?: 'uint8' | 'float32';
  /** EPSG code written as ProjectedCSTypeGeoKey or GeographicTypeGeoKey; omit for a CRS without one (no GeoKeys written). */
  epsg?: number;
  /** GDAL geotransform of the full-resolution image (pixel-corner convention). */
  geoTransform: GeoTransform;
  /** Called for consecutive full-width row bands, top to bottom, each `tileSize` rows (fewer at the bottom). */
  readRows: RowSource;
  /** Tile edge in pixels, a multiple of 16. Default 512. */
  tileSize?: number;
  /** Default deflate (with horizontal predictor for 8-bit). JPEG is for 1 or 3 uint8 bands. */
  compression?: WriteCompression;
  /** JPEG quality 1–100, default 90. */
  jpegQuality?: number;
  /** zlib level 1–9, default 6. */
  deflateLevel?: number;
  /** Write internal overviews (halving until the image fits one tile). Default true. */
  overviews?: boolean;
  /** Written as GDAL_NODATA; also excluded when averaging overviews. */
  noData?: number;
  /** Acquisition time, written as TIFFTAG_DATETIME. */
  acquired?: Date | string;
  /** Force BigTIFF on or off; by default BigTIFF is used only when the file would pass 4 GiB. */
  bigTiff?: boolean;
  /** Rows of the full-resolution image written so far. */
  onProgress?: (rowsDone: number, height: number) => void;
}

const OptionsSchema = z
  .object({
    width: z.number().int().min(1).max(1_000_000),
    height: z.number().int().min(1).max(1_000_000),
    bands: z.union([z.literal(1), z.literal(3), z.literal(4)]),
    sampleType: z.enum(['uint8', 'float32']).default('uint8'),
    epsg: z.number().int().min(1024).max(32767).optional(),
    geoTransform: z.array(z.number()).length(6),
    readRows: z.custom<RowSource>((v) => typeof v === 'function'),
    tileSize: z.number().int().min(16).max(4096).multipleOf(16).default(512),
    compression: z.enum(['deflate', 'jpeg', 'none']).default('deflate'),
    jpegQuality: z.number().int().min(1).max(100).default(90),
    deflateLevel: z.number().int().min(1).max(9).default(6),
    overviews: z.boolean().default(true),
    noData: z.number().optional(),
    acquired: z.union([z.date(), z.string()]).optional(),
    bigTiff: z.boolean().optional(),
    onProgress: z.custom<(a: number, b: number) => void>((v) => typeof v === 'function').optional(),
  })
  .strict();

interface Level {
  width: number;
  height: number;
  across: number;
  down: number;
  buffer: Uint8Array | Float32Array;
  filled: number;
  received: number;
  byteCounts: number[];
  file: FileHandle;
  path: string;
  position: number;
}

/** The overview sizes GDAL would build: halve until the larger side fits one tile. */
export function overviewSizes(width: number, height: number, tileSize: number): [number, number][] {
  const out: [number, number][] = [];
  let w = width;
  let h = height;
  while (w > tileSize || h > tileSize) {
    w = Math.ceil(w / 2);
    h = Math.ceil(h / 2);
    out.push([w, h]);
  }
  return out;
}

function exifDate(d: Date | string): string {
  const t = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(t.getTime())) throw new TilesError('TIANDI_E_BAD_WRITE_OPTIONS', `invalid acquired date '${d}'`);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}:${p(t.getUTCMonth() + 1)}:${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
}

/**
 * Writes a tiled, compressed GeoTIFF laid out as a Cloud-Optimised GeoTIFF (all IFDs first, then
 * overview tiles smallest first, full resolution last), pulling the image band by band through
 * `readRows` so the whole image never sits in memory. Written to `<path>.part` and renamed when complete.
 * @example
 * await writeGeoTiff('a.tif', { width: 1024, height: 1024, bands: 3, epsg: 32648,
 *   geoTransform: [500000, 0.05, 0, 2800000, 0, -0.05], readRows: (y0, n) => new Uint8Array(1024 * n * 3) });
 */
export async function writeGeoTiff(path: string, options: WriteGeoTiffOptions, signal?: AbortSignal): Promise<void> {
  const o = checkedOptions(path, options);
  const levels: Level[] = [];
  try {
    await openLevels(path, o, levels);
    const push = pyramidWriter(levels, o);
    await pullRows(path, o, push, signal);
    await assembleFile(path, o, levels, signal);
  } finally {
    await Promise.all(levels.map((l) => l.file.close().catch(() => undefined)));
    await Promise.all(levels.map((l) => rm(l.path, { force: true })));
  }
}

/** The options, validated, with their defaults; refused when invalid or when the sample type and compression do not go together. */
function checkedOptions(path: string, options: WriteGeoTiffOptions) {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new TilesError('TIANDI_E_BAD_WRITE_OPTIONS', `writeGeoTiff: ${z.prettifyError(parsed.error)}`, path);
  }
  const o = { ...options, ...parsed.data, readRows: options.readRows, onProgress: options.onProgress };
  const float = o.sampleType === 'float32';
  if (float && o.bands !== 1) throw new TilesError('TIANDI_E_BAD_WRITE_OPTIONS', 'float32 is written with 1 band only', path);
  if (o.compression === 'jpeg' && (float || o.bands === 4)) {
    throw new TilesError('TIANDI_E_BAD_WRITE_OPTIONS', 'JPEG is for 1- or 3-band uint8 images; use deflate for RGBA or float32', path);
  }
  const codec: TileCodec = {
    compression: o.compression,
    bands: o.bands,
    float,
    tileSize: o.tileSize,
    jpegQuality: o.jpegQuality,
    deflateLevel: o.deflateLevel,
  };
  // geoTags gets the caller's geotransform, as before the split.
  return { ...o, float, codec, geoTransform: options.geoTransform };
}

type CheckedOptions = ReturnType<typeof checkedOptions>;

/** One temporary file and one tile-row buffer per level (full resolution, then each overview); pushed into `levels` as opened so the caller can clean up. */
async function openLevels(path: string, o: CheckedOptions, levels: Level[]): Promise<void> {
  const ts = o.tileSize;
  const Arr = o.float ? Float32Array : Uint8Array;
  const sizes: [number, number][] = [[o.width, o.height], ...(o.overviews ? overviewSizes(o.width, o.height, ts) : [])];
  for (let i = 0; i < sizes.length; i++) {
    const [w, h] = sizes[i];
    const p = `${path}.L${i}.tmp`;
    levels.push({
      width: w,
      height: h,
      across: Math.ceil(w / ts),
      down: Math.ceil(h / ts),
      buffer: new Arr(w * ts * o.bands),
      filled: 0,
      received: 0,
      byteCounts: [],
      file: await open(p, 'w'),
      path: p,
      position: 0,
    });
  }
}

/**
 * The function that pushes rows into level `li`: each level encodes and writes a tile row to its file once the row
 * fills (or the image ends), then hands its half-size rows to the next level.
 */
function pyramidWriter(levels: Level[], o: CheckedOptions): (li: number, data: Uint8Array | Float32Array, rows: number) => Promise<void> {
  const ts = o.tileSize;
  const Arr = o.float ? Float32Array : Uint8Array;
  const fill = o.noData ?? 0;
  const rule = { alpha: o.bands === 4, noData: o.noData };

  const flush = async (li: number): Promise<void> => {
    const L = levels[li];
    const rows = L.filled;
    const tiles: Promise<Buffer>[] = [];
    for (let tx = 0; tx < L.across; tx++) {
      const tile = new Arr(ts * ts * o.bands);
      if (fill !== 0) tile.fill(fill);
      const x0 = tx * ts;
      const cols = Math.min(ts, L.width - x0);
      for (let y = 0; y < rows; y++) {
        const s = (y * L.width + x0) * o.bands;
        tile.set(L.buffer.subarray(s, s + cols * o.bands), y * ts * o.bands);
      }
      tiles.push(encodeTile(tile, o.codec));
    }
    const encoded = await Promise.all(tiles);
    for (const b of encoded) {
      await L.file.write(b, 0, b.length, L.position);
      L.position += b.length;
      L.byteCounts.push(b.length);
    }
    if (li + 1 < levels.length) {
      const half = downsampleBand(L.buffer.subarray(0, rows * L.width * o.bands) as Uint8Array, L.width, rows, o.bands, rule);
      await push(li + 1, half, Math.ceil(rows / 2));
    }
    L.filled = 0;
  };

  const push = async (li: number, data: Uint8Array | Float32Array, rows: number): Promise<void> => {
    const L = levels[li];
    let y = 0;
    while (y < rows) {
      const take = Math.min(ts - L.filled, rows - y);
      L.buffer.set(data.subarray(y * L.width * o.bands, (y + take) * L.width * o.bands), L.filled * L.width * o.bands);
      L.filled += take;
      L.received += take;
      y += take;
      if (L.filled === ts || L.received === L.height) await flush(li);
    }
  };
  return push;
}

/** Pulls the image from `readRows` one tile row at a time, top to bottom, checking each band's type and length. */
async function pullRows(path: string, o: CheckedOptions, push: ReturnType<typeof pyramidWriter>, signal: AbortSignal | undefined): Promise<void> {
  const ts = o.tileSize;
  for (let y0 = 0; y0 < o.height; y0 += ts) {
    throwIfAborted(signal);
    const rows = Math.min(ts, o.height - y0);
    const data = await o.readRows(y0, rows);
    if (data.length !== o.width * rows * o.bands || (o.float ? !(data instanceof Float32Array) : !(data instanceof Uint8Array))) {
      throw new TilesError(
        'TIANDI_E_BAD_WRITE_OPTIONS',
        `readRows(${y0}, ${rows}) returned ${data.constructor.name}(${data.length}), expected ${o.float ? 'Float32Array' : 'Uint8Array'}(${o.width * rows * o.bands})`,
        path,
      );
    }
    await push(0, data, rows);
    o.onProgress?.(y0 + rows, o.height);
  }
}

/** The IFD entries of level `li` (0: full resolution, with the georeferencing and date) with its tile offsets. */
function ifdEntries(o: CheckedOptions, levels: Level[], li: number, offsets: number[], offType: IfdEntry['type']): IfdEntry[] {
  const L = levels[li];
  const float = o.float;
  const ts = o.tileSize;
  const e: IfdEntry[] = [
    { tag: 254, type: TYPE.LONG, values: [li === 0 ? 0 : 1] },
    { tag: 256, type: TYPE.LONG, values: [L.width] },
    { tag: 257, type: TYPE.LONG, values: [L.height] },
    { tag: 258, type: TYPE.SHORT, values: new Array(o.bands).fill(float ? 32 : 8) },
    { tag: 259, type: TYPE.SHORT, values: [COMPRESSION_TAG[o.compression]] },
    { tag: 262, type: TYPE.SHORT, values: [o.bands === 1 ? 1 : o.compression === 'jpeg' ? 6 : 2] },
    { tag: 277, type: TYPE.SHORT, values: [o.bands] },
    { tag: 284, type: TYPE.SHORT, values: [1] },
    { tag: 322, type: TYPE.LONG, values: [ts] },
    { tag: 323, type: TYPE.LONG, values: [ts] },
    { tag: 324, type: offType, values: offsets },
    { tag: 325, type: offType, values: L.byteCounts },
    { tag: 339, type: TYPE.SHORT, values: new Array(o.bands).fill(float ? 3 : 1) },
  ];
  if (o.compression === 'deflate') e.push({ tag: 317, type: TYPE.SHORT, values: [float ? 1 : 2] });
  if (o.bands === 4) e.push({ tag: 338, type: TYPE.SHORT, values: [2] });
  if (o.compression === 'jpeg' && o.bands === 3) e.push({ tag: 530, type: TYPE.SHORT, values: [2, 2] });
  if (o.noData !== undefined) e.push({ tag: 42113, type: TYPE.ASCII, values: String(o.noData) });
  if (li === 0) {
    e.push(...geoTags(o.epsg, o.geoTransform));
    if (o.acquired !== undefined) e.push({ tag: 306, type: TYPE.ASCII, values: exifDate(o.acquired) });
  }
  return e;
}

/** Where each IFD and each level's tile data start: header, IFDs (full resolution first), then tile data, smallest overview first. */
function fileLayout(levels: Level[], ifdLens: number[], headerLen: number): { ifdStarts: number[]; dataStart: number; levelStart: number[] } {
  const ifdStarts: number[] = [];
  let at = headerLen;
  for (const n of ifdLens) {
    ifdStarts.push(at);
    at += n;
  }
  const dataStart = at;
  const levelStart: number[] = new Array(levels.length);
  for (let i = levels.length - 1; i >= 0; i--) {
    levelStart[i] = at;
    at += levels[i].position;
  }
  return { ifdStarts, dataStart, levelStart };
}

/** Writes header, IFDs and the levels' tile data to `<path>.part` and renames it to `path`; the part file is removed on failure. */
async function assembleFile(path: string, o: CheckedOptions, levels: Level[], signal: AbortSignal | undefined): Promise<void> {
  const dataBytes = levels.reduce((s, l) => s + l.position, 0);
  const bigTiff = o.bigTiff ?? dataBytes > 0xffffffff - 64 * 1024 * 1024;
  const offType = bigTiff ? TYPE.LONG8 : TYPE.LONG;
  const headerLen = bigTiff ? 16 : 8;
  const ifdLens = levels.map((l, i) => ifdByteLength(ifdEntries(o, levels, i, new Array(l.byteCounts.length).fill(0), offType), bigTiff));
  const { ifdStarts, dataStart, levelStart } = fileLayout(levels, ifdLens, headerLen);
  const part = `${path}.part`;
  const out = await open(part, 'w');
  try {
    let pos = 0;
    const put = async (b: Buffer) => {
      await out.write(b, 0, b.length, pos);
      pos += b.length;
    };
    await put(encodeHeader(headerLen, bigTiff));
    for (let i = 0; i < levels.length; i++) {
      const offsets: number[] = [];
      let p = levelStart[i];
      for (const n of levels[i].byteCounts) {
        offsets.push(p);
        p += n;
      }
      const next = i + 1 < levels.length ? ifdStarts[i + 1] : 0;
      await put(encodeIfd(ifdEntries(o, levels, i, offsets, offType), ifdStarts[i], next, bigTiff));
    }
    if (pos !== dataStart) throw new Error(`internal: IFD area ${pos} != ${dataStart}`);
    for (let i = levels.length - 1; i >= 0; i--) {
      throwIfAborted(signal);
      await levels[i].file.close();
      for await (const chunk of createReadStream(levels[i].path, { highWaterMark: 4 << 20 })) await put(chunk as Buffer);
    }
  } catch (err) {
    await out.close();
    await rm(part, { force: true });
    throw err;
  }
  await out.close();
  await rename(part, path);
}
