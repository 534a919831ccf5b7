import { createRequire } from 'node:module';
import type Sharp from 'sharp';
import { getDecoder } from 'geotiff';
import { ZSTDDecoder } from 'zstddec';
import { inflateInto } from './inflate-into';
import { lzwDecode } from './lzw-decode';
import { undoRgbPredictorWasm } from './wasm/kernels';
import { scaledJpegDecoder, type ScaledJpegDecoder } from './jpeg-scaled';
import { turboJpegDecoder } from './jpeg-turbo';
import { LentBytes } from './lent-bytes';
import { TilesError } from '../errors';

/** Decoded bytes of one block: the output size zlib is told to expect. */
export const blockBytes = (l: BlockLayout) => l.blockWidth * l.blockHeight * l.samples * Math.ceil(l.bitsPerSample / 8);

/** Native zlib, synchronously, into a buffer of the block's size, recycled when `into` gives one ({@link inflateInto}). */
const deflate: BlockDecoder = async (b, layout, into) => {
  const n = blockBytes(layout);
  return inflateInto(b, into ? into(n) : new Uint8Array(n));
};

/**
 * sharp (libvips), loaded when first needed, through require(): its ES-module entry imports CommonJS packages
 * (colour, semver), whose exports Node then parses to link them; its CommonJS entry loads in half the time
 * (~30 against 50-80 CPU-ms), on the path of a scan's first JPEG block.
 */
let sharpModule: typeof Sharp | undefined;
export const requireSharp = (): typeof Sharp => (sharpModule ??= createRequire(import.meta.url)('sharp') as typeof Sharp);

// Only files with JPEG blocks load it.
let sharpP: Promise<typeof Sharp> | undefined;
const loadSharp = () =>
  (sharpP ??= Promise.resolve().then(() => {
    const sharp = requireSharp();
    // Blocks are decoded one at a time on libuv threads: libvips' own operation cache and thread pool only add memory.
    sharp.cache(false);
    sharp.concurrency(1);
    return sharp;
  }));

/** TIFF Compression 7: JPEG, decoded by sharp (libjpeg-turbo). */
export const JPEG_COMPRESSION = 7;

/** TIFF Compression 50000: ZSTD. */
export const ZSTD_COMPRESSION = 50000;

/** TIFF Compression 50001: WebP, decoded by sharp (libwebp). */
export const WEBP_COMPRESSION = 50001;

/** Whether blocks of this compression decode through sharp: on libuv's thread pool, not on the thread that reads them. */
export const decodesOffThread = (compression: number) => compression === JPEG_COMPRESSION || compression === WEBP_COMPRESSION;

/** Loads sharp, the JPEG and WebP decoder, now, while the caller waits for something else (its first use would wait for it). */
export async function preloadJpegDecoder(): Promise<void> {
  await loadSharp().catch(() => undefined);
}

/** What a block decoder needs to know about the IFD. */
export interface BlockLayout {
  /** Block width and height in pixels (strips: image width × RowsPerStrip). */
  blockWidth: number;
  blockHeight: number;
  /** Samples in one decoded block pixel (1 for planar-separate blocks). */
  samples: number;
  bitsPerSample: number;
  predictor: number;
  /** JPEGTables tag (abbreviated JPEG streams), when present. */
  jpegTables?: Uint8Array;
}

/**
 * Decodes one compressed block into raw little-endian samples (before the predictor is undone). `into`, when
 * given, hands out a buffer of n bytes to decode into (recycled from evicted blocks); decoders that cannot
 * write into a given buffer ignore it.
 */
export type BlockDecoder = (bytes: Uint8Array, layout: BlockLayout, into?: (n: number) => Uint8Array) => Promise<Uint8Array>;

/** How to convert a file whose compression is refused. */
const CONVERT = 'convert it first: gdal_translate -co TILED=YES -co COMPRESS=DEFLATE in.tif out.tif';

const geotiffDecoder = (compression: number): BlockDecoder => {
  const decoders = new Map<string, Promise<{ decode(b: ArrayBuffer): Promise<ArrayBuffer> }>>();
  return async (bytes, layout) => {
    const key = `${layout.blockWidth}x${layout.blockHeight}x${layout.bitsPerSample}`;
    let d = decoders.get(key);
    if (!d) {
      d = getDecoder(compression, {
        tileWidth: layout.blockWidth,
        tileHeight: layout.blockHeight,
        predictor: 1,
        bitsPerSample: layout.bitsPerSample,
        planarConfiguration: 1,
      } as never) as never;
      decoders.set(key, d!);
    }
    const dec = await d!;
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return new Uint8Array(await dec.decode(copy as ArrayBuffer));
  };
};

/**
 * ZSTD through zstddec (libzstd compiled to WebAssembly; geotiff.js's own ZSTD decoder): ~5× the speed of the
 * pure-JavaScript fzstd on 256-px tiles, which took a 64-Mpx ZSTD file's scan from ~4 to 13 s. The decoder is
 * told the block's size, so a frame header cannot make it allocate more, and its result is checked: zstddec
 * returns libzstd's error codes as a length, which becomes an empty or short slice, never an exception.
 */
const zstdDecoder = new ZSTDDecoder();
let zstdReady: Promise<void> | undefined;
let zstdLoaded = false;

/** Loads the ZSTD decoder (its WebAssembly) once per thread: {@link zstdDecodeSync} needs it loaded. */
export const loadZstd = (): Promise<void> =>
  (zstdReady ??= zstdDecoder.init().then(() => {
    zstdLoaded = true;
  }));

/** One ZSTD block of at most `n` decoded bytes, synchronously, once {@link loadZstd} has resolved in this thread. */
export function zstdDecodeSync(bytes: Uint8Array, n: number): Uint8Array {
  if (!zstdLoaded) throw new Error('the ZSTD decoder is not loaded in this thread (await loadZstd() first)');
  const out = bytes.length > 0 ? zstdDecoder.decode(bytes, n) : new Uint8Array(0);
  // A short last strip is legal (its rows only); nothing at all, or more than a block, is not.
  if (out.length === 0 || out.length > n) throw new Error(`ZSTD block is corrupt (decoded ${out.length} bytes of ${n})`);
  return out;
}

const zstd: BlockDecoder = async (bytes, layout) => {
  await loadZstd();
  return zstdDecodeSync(bytes, blockBytes(layout));
};

const lzw: BlockDecoder = async (bytes, layout, into) => lzwDecode(bytes, blockBytes(layout), into);

/**
 * Splices JPEGTables (minus its EOI) in front of an abbreviated tile stream (minus its SOI), into a new buffer or one
 * of `lent` (which the caller gives back once the stream is decoded).
 */
function withJpegTables(tile: Uint8Array, tables?: Uint8Array, lent?: LentBytes): Uint8Array {
  if (!tables || tables.length < 4) return tile;
  const n = tables.length - 2 + tile.length - 2;
  const out = lent ? lent.lend(n) : new Uint8Array(n);
  out.set(tables.subarray(0, tables.length - 2), 0);
  out.set(tile.subarray(2), tables.length - 2);
  return out;
}

/** geotiff.js's JPEG decoder, for component counts libjpeg-through-sharp would colour-convert (grey, RGBA). */
const jpegJs = (() => {
  const decoders = new Map<string, Promise<{ decode(b: ArrayBuffer): Promise<ArrayBuffer> }>>();
  return async (bytes: Uint8Array, layout: BlockLayout): Promise<Uint8Array> => {
    const key = `${layout.blockWidth}x${layout.blockHeight}x${layout.samples}:${layout.jpegTables?.length ?? 0}:${layout.jpegTables ? Buffer.from(layout.jpegTables).toString('base64', 0, 64) : ''}`;
    let d = decoders.get(key);
    if (!d) {
      d = getDecoder(7, {
        tileWidth: layout.blockWidth,
        tileHeight: layout.blockHeight,
        predictor: 1,
        bitsPerSample: 8,
        planarConfiguration: 1,
        JPEGTables: layout.jpegTables,
      } as never) as never;
      decoders.set(key, d!);
    }
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    return new Uint8Array(await (await d!).decode(copy as ArrayBuffer));
  };
})();

/** Buffers a strip's stream with the tables spliced in is decoded from: one a decode in flight (the thread pool's 4). */
const jpegStreams = new LentBytes(4);

/**
 * An 8-bit RGB JPEG block decoded `shrink`× smaller (1: full size) straight into a buffer from `into`, its stream
 * spliced with the file's tables in a lent buffer: at full size by TurboJPEG where it loads (jpeg-turbo.ts), libvips
 * deciding what it will not take; smaller, or without TurboJPEG, by libvips. The block's shape (the layout's, which for a level read
 * smaller is that level's) is checked on the stream's header, before any pixel (checkedImageBlock's check, earlier).
 */
export async function decodeJpegInto(
  d: ScaledJpegDecoder,
  bytes: Uint8Array,
  layout: BlockLayout,
  shrink: number,
  into?: (n: number) => Uint8Array,
): ReturnType<ScaledJpegDecoder['decode']> {
  const shape = { width: layout.blockWidth, height: layout.blockHeight, channels: 3 };
  const stream = withJpegTables(bytes, layout.jpegTables, jpegStreams);
  try {
    const turbo = shrink === 1 && into ? turboJpegDecoder() : null;
    if (!turbo) return await d.decode(stream, shrink, into, shape);
    // One buffer whichever decoder writes it.
    let got: Uint8Array | undefined;
    const once = (n: number) => (got?.length === n ? got : (got = into!(n)));
    try {
      return { ...(await turbo.decode(stream, once, shape)), channels: 3 };
    } catch {
      // libvips decides what TurboJPEG would not take (another shape, a warning, corrupt data): its word is the scan's.
      return await d.decode(stream, shrink, once, shape);
    }
  } finally {
    // Neither decoder holds the stream once its decode settles (libvips: the image is unreferenced, no operation cache).
    jpegStreams.giveBack(stream);
  }
}

/**
 * JPEG blocks of 8-bit RGB: into the reader's recycled buffer (decodeJpegInto: TurboJPEG, else libvips called
 * directly; the same libjpeg-turbo, the same pixels) when libvips' C entry points load, else through sharp, which hands back a new buffer a block
 * (a 40 000-px strip's 1.9 MB mapped and unmapped each time: page faults; and garbage that calls for full GCs).
 */
const jpeg: BlockDecoder = async (bytes, layout, into) => {
  if (layout.samples !== 3) return jpegJs(bytes, layout);
  // Loaded (and set up: no operation cache, one libvips thread a decode) whichever path decodes.
  const sharp = await loadSharp();
  const direct = into && layout.bitsPerSample === 8 ? scaledJpegDecoder() : null;
  if (direct) return (await decodeJpegInto(direct, bytes, layout, 1, into)).data;
  const stream = withJpegTables(bytes, layout.jpegTables);
  const { data, info } = await sharp(stream, { failOn: 'error' }).raw().toBuffer({ resolveWithObject: true });
  return checkedImageBlock('JPEG', data, info, layout);
};

/** A block sharp decoded, as raw samples, once its width and samples are the layout's (a strip at the bottom may hold fewer rows). */
function checkedImageBlock(kind: string, data: Uint8Array, info: { width: number; height: number; channels: number }, layout: BlockLayout): Uint8Array {
  if (info.width !== layout.blockWidth || info.channels !== layout.samples) {
    throw new Error(`${kind} block is ${info.width}×${info.height}×${info.channels}, expected ${layout.blockWidth}×${layout.blockHeight}×${layout.samples}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * TIFF Compression 50001, WebP (GDAL's COMPRESS=WEBP, lossy or lossless: 8-bit RGB, or RGBA with its alpha), decoded
 * by sharp (libwebp) on the thread pool like JPEG. A WebP image carries alpha only where some pixel is not opaque,
 * so a block of an RGBA file may decode to three channels: its alpha is then 255.
 */
const webp: BlockDecoder = async (bytes, layout) => {
  if (layout.bitsPerSample !== 8 || (layout.samples !== 3 && layout.samples !== 4)) {
    throw new Error(`WebP block of ${layout.samples} samples of ${layout.bitsPerSample} bits: WebP holds 8-bit RGB or RGBA only`);
  }
  const sharp = await loadSharp();
  const image = sharp(bytes, { failOn: 'error' });
  const { data, info } = await (layout.samples === 4 ? image.ensureAlpha() : image.removeAlpha()).raw().toBuffer({ resolveWithObject: true });
  return checkedImageBlock('WebP', data, info, layout);
};

/**
 * The decoder registry, by TIFF Compression tag: native zlib for deflate, sharp (libjpeg-turbo, libwebp) for JPEG and WebP,
 * zstddec (WebAssembly) for ZSTD, geotiff.js for PackBits, our own LZW. Compressions absent here are refused with a message.
 */
export const DECODERS: ReadonlyMap<number, BlockDecoder> = new Map<number, BlockDecoder>([
  [1, async (b) => b],
  [5, lzw],
  [7, jpeg],
  [8, deflate],
  [32946, deflate],
  [32773, geotiffDecoder(32773)],
  [ZSTD_COMPRESSION, zstd],
  [WEBP_COMPRESSION, webp],
]);

const NAMES: Record<number, string> = {
  2: 'CCITT RLE',
  3: 'CCITT G3',
  4: 'CCITT G4',
  6: 'old-style JPEG',
  34676: 'SGILOG',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34925: 'LZMA',
  50002: 'JPEG XL',
  52546: 'JPEG XL',
};

/** The decoder for a Compression tag value, or a typed error naming the compression and how to convert. */
export function decoderFor(compression: number, path: string): BlockDecoder {
  const d = DECODERS.get(compression);
  if (d) return d;
  const name = NAMES[compression] ?? `compression ${compression}`;
  throw new TilesError('TIANDI_E_UNSUPPORTED_COMPRESSION', `不支持的压缩 unsupported compression ${name}; ${CONVERT}`, path);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Predictor 2 for 8-bit RGB, four bytes at a time (rows of a whole number of words). With x[i] = x[i − 3] + d[i]
 * byte-wise, the word of bytes 4k…4k+3 is: T = the previous word's bytes 1–3 (x[4k − 3…4k − 1]), Y = T + the
 * differences (giving x[4k…4k+2] and d[4k+3]), then Y's byte 3 plus its byte 0 (x[4k+3] = x[4k] + d[4k+3]).
 * Byte-wise sums without carries between bytes: the low seven bits added, the top bit by exclusive or.
 */
function undoRgbPredictorSwar(words: Int32Array, rowWords: number, rows: number): void {
  let y = 0;
  // Two rows at a time: each row is one long chain of dependent operations, two chains keep the CPU busier.
  for (; y + 1 < rows; y += 2) {
    let p0 = 0;
    let p1 = 0;
    const end = (y + 1) * rowWords;
    for (let i = y * rowWords; i < end; i++) {
      const j = i + rowWords;
      const t0 = p0 >>> 8;
      const t1 = p1 >>> 8;
      const d0 = words[i];
      const d1 = words[j];
      const u0 = (((t0 & 0x7f7f7f7f) + (d0 & 0x7f7f7f7f)) | 0) ^ ((t0 ^ d0) & 0x80808080);
      const u1 = (((t1 & 0x7f7f7f7f) + (d1 & 0x7f7f7f7f)) | 0) ^ ((t1 ^ d1) & 0x80808080);
      const v0 = u0 << 24;
      const v1 = u1 << 24;
      p0 = (((u0 & 0x7f7f7f7f) + (v0 & 0x7f7f7f7f)) | 0) ^ ((u0 ^ v0) & 0x80808080);
      p1 = (((u1 & 0x7f7f7f7f) + (v1 & 0x7f7f7f7f)) | 0) ^ ((u1 ^ v1) & 0x80808080);
      words[i] = p0;
      words[j] = p1;
    }
  }
  for (; y < rows; y++) {
    let prev = 0;
    const end = (y + 1) * rowWords;
    for (let i = y * rowWords; i < end; i++) {
      const t = prev >>> 8;
      const d = words[i];
      const u = (((t & 0x7f7f7f7f) + (d & 0x7f7f7f7f)) | 0) ^ ((t ^ d) & 0x80808080);
      const v = u << 24;
      prev = (((u & 0x7f7f7f7f) + (v & 0x7f7f7f7f)) | 0) ^ ((u ^ v) & 0x80808080);
      words[i] = prev;
    }
  }
}

/**
 * The horizontal predictor of 8-bit four-sample pixels (RGBA, or RGB and an extra band), a pixel a 32-bit word: its
 * four bytes added to the previous pixel's at once, without carries between them (the loop a byte took a fifth of
 * a striped LZW scan's decoding). Bytewise, so the same in either byte order.
 */
function undoRgbaPredictorSwar(a: Int32Array, w: number, rows: number): void {
  for (let y = 0; y < rows; y++) {
    let i = y * w;
    const end = i + w;
    let p = a[i];
    for (i++; i < end; i++) {
      const c = a[i];
      p = ((p & 0x7f7f7f7f) + (c & 0x7f7f7f7f)) ^ ((p ^ c) & 0x80808080);
      a[i] = p;
    }
  }
}

/** Undoes TIFF Predictor 2 (horizontal differencing) in place for 8- or 16-bit interleaved samples. */
export function undoHorizontalPredictor(data: Uint8Array, layout: BlockLayout, rows: number): void {
  const { blockWidth: w, samples: s, bitsPerSample: bps } = layout;
  if (bps === 8 && s === 3 && undoRgbPredictorWasm(data, w * 3, rows)) {
    // WebAssembly SIMD (kernels.c), the same bytes as the loops below.
  } else if (bps === 8 && s === 3 && LITTLE_ENDIAN && (w & 3) === 0 && (data.byteOffset & 3) === 0) {
    undoRgbPredictorSwar(new Int32Array(data.buffer, data.byteOffset, (rows * w * 3) >> 2), (w * 3) >> 2, rows);
  } else if (bps === 8 && s === 3) {
    const rowLen = w * 3;
    for (let y = 0; y < rows; y++) {
      let i = y * rowLen;
      const end = i + rowLen;
      let r = data[i],
        g = data[i + 1],
        b = data[i + 2];
      for (i += 3; i < end; i += 3) {
        r = (r + data[i]) & 255;
        g = (g + data[i + 1]) & 255;
        b = (b + data[i + 2]) & 255;
        data[i] = r;
        data[i + 1] = g;
        data[i + 2] = b;
      }
    }
  } else if (bps === 8 && s === 4 && (data.byteOffset & 3) === 0) {
    undoRgbaPredictorSwar(new Int32Array(data.buffer, data.byteOffset, rows * w), w, rows);
  } else if (bps === 8) {
    const rowLen = w * s;
    for (let y = 0; y < rows; y++) {
      const end = (y + 1) * rowLen;
      for (let i = y * rowLen + s; i < end; i++) data[i] += data[i - s];
    }
  } else if (bps === 16) {
    const a = new Uint16Array(data.buffer, data.byteOffset, data.byteLength >> 1);
    const rowLen = w * s;
    for (let y = 0; y < rows; y++) {
      const r = y * rowLen;
      for (let i = s; i < rowLen; i++) a[r + i] = (a[r + i] + a[r + i - s]) & 0xffff;
    }
  } else if (bps === 32) {
    const a = new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
    const rowLen = w * s;
    for (let y = 0; y < rows; y++) {
      const r = y * rowLen;
      for (let i = s; i < rowLen; i++) a[r + i] = (a[r + i] + a[r + i - s]) >>> 0;
    }
  }
}

/** Undoes TIFF Predictor 3 (floating-point: byte planes + differencing) for 32-bit samples. */
export function undoFloatPredictor(data: Uint8Array, layout: BlockLayout, rows: number): Uint8Array {
  const { blockWidth: w, samples: s } = layout;
  const bytes = 4;
  const rowBytes = w * s * bytes;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < rows; y++) {
    const r = y * rowBytes;
    for (let i = s; i < rowBytes; i++) data[r + i] = (data[r + i] + data[r + i - s]) & 0xff;
    const count = w * s;
    for (let i = 0; i < count; i++) {
      // Planes are stored most significant byte first; output little-endian.
      for (let b = 0; b < bytes; b++) out[r + i * bytes + b] = data[r + (bytes - 1 - b) * count + i];
    }
  }
  return out;
}
