import type { ImageFileDirectory } from 'geotiff';
import { TilesError } from '../errors';
import { decoderFor, type BlockDecoder } from './codecs';
import { LIMITS } from './limits';

/** Everything the reader needs from one IFD, checked for sanity. */
export interface IfdInfo {
  index: number;
  width: number;
  height: number;
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  blocksAcross: number;
  blocksDown: number;
  samples: number;
  bitsPerSample: number;
  sampleFormat: number;
  /** PhotometricInterpretation as read: 2 (RGB) for three or more colour samples tagged grey ({@link greyTaggedColour}). */
  photometric: number;
  /** Three or more colour samples tagged grey (MINISBLACK), read as R, G, B from the first three. */
  greyTaggedColour: boolean;
  /** 16-bit unsigned or float samples: the value read as 255, the range they were stored in (sample-range.ts); absent, 65535 (floats 255). */
  sampleMax?: number;
  planar: number;
  predictor: number;
  compression: number;
  decoder: BlockDecoder;
  offsets: ArrayLike<number>;
  byteCounts: ArrayLike<number>;
  jpegTables?: Uint8Array;
  /** Index of the alpha sample (ExtraSamples 1 or 2), or -1. */
  alphaSample: number;
  newSubfileType: number;
  /** Photometric 4: a transparency mask. */
  isMask: boolean;
}

function first(v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const a = v as ArrayLike<number>;
  return a.length ? Number(a[0]) : dflt;
}

/**
 * geotiff.js reads deferred (large, out-of-line) arrays little-endian whatever the file's byte order;
 * for big-endian files those values come back byte-swapped and are swapped back here.
 */
function fixDeferredByteOrder(fd: ImageFileDirectory, tag: number, values: ArrayLike<number> | undefined, bigEndian: boolean): ArrayLike<number> | undefined {
  if (!values || !bigEndian || !(fd as unknown as { deferredArrays?: Map<unknown, unknown> }).deferredArrays?.has(tag)) return values;
  if (values instanceof Uint32Array) return values.map((v) => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0);
  if (values instanceof Uint16Array) return values.map((v) => ((v & 0xff) << 8) | (v >> 8));
  if (typeof BigUint64Array !== 'undefined' && (values as unknown) instanceof BigUint64Array) {
    const b = Buffer.from(new BigUint64Array(values as unknown as BigUint64Array).buffer).swap64();
    return Array.from(new BigUint64Array(b.buffer, b.byteOffset, b.byteLength / 8), Number);
  }
  return values;
}

/** Compressions whose codec undoes a Predictor in libtiff; for the others libtiff (and GDAL) ignores the tag. */
const PREDICTOR_CODECS = new Set([5, 8, 32946, 34925, 50000]);

/**
 * The predictor to undo, as libtiff reads it: none unless the codec uses one; 2 (horizontal) for any depth;
 * 3 (floating point) only on float samples. Predictor 4 and up, and 3 on integers, are refused, as GDAL refuses them.
 */
function effectivePredictor(predictor: number, compression: number, sampleFormat: number, bitsPerSample: number, path: string): number {
  if (!PREDICTOR_CODECS.has(compression) || predictor === 1) return 1;
  if (predictor === 2 || (predictor === 3 && sampleFormat === 3)) return predictor;
  const why = predictor === 3 ? `the floating-point predictor on ${bitsPerSample}-bit integer samples` : `Predictor ${predictor}`;
  throw new TilesError(
    'TIANDI_E_UNSUPPORTED_COMPRESSION',
    `不支持的预测器 ${why} is not defined by TIFF (GDAL refuses it too): re-export: gdal_translate -co COMPRESS=DEFLATE -co PREDICTOR=2 in.tif out.tif`,
    path,
  );
}

/** Reads one tag's value (geotiff.js loads it from the file on first use). */
type TagGetter = (name: string) => Promise<unknown>;

/** The sample tags of an IFD, checked. */
interface SampleTags {
  samples: number;
  bitsPerSample: number;
  sampleFormat: number;
  photometric: number;
  planar: number;
  compression: number;
  newSubfileType: number;
  isMask: boolean;
}

/** The block grid of an IFD (tiles or strips), checked. */
interface BlockLayout {
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  blocksAcross: number;
  blocksDown: number;
}

/**
 * Reads and checks the tags of one IFD; throws typed errors for anything Tiandi cannot read. `values`: the raster is
 * read for its values only (a DEM), so signed and 32-bit integer and 64-bit float samples are accepted too.
 */
export async function ifdInfo(fd: ImageFileDirectory, index: number, path: string, fileBytes: number, bigEndian = false, values = false): Promise<IfdInfo> {
  const get: TagGetter = (name) => fd.loadValue(name as never) as Promise<unknown>;
  const { width, height } = await imageSize(get, path);
  const s = await sampleTags(get, path, values);
  const decoder = decoderFor(s.compression, path);
  const predictor = effectivePredictor(first(await get('Predictor'), 1), s.compression, s.sampleFormat, s.bitsPerSample, path);
  const grid = await blockLayout(fd, get, width, height, s, path);
  const { offsets, byteCounts } = await blockTable(fd, get, grid, s, height, path, fileBytes, bigEndian);
  const alphaSample = await alphaSampleOf(get, s.photometric, s.samples);
  const greyTaggedColour = readsGreyAsColour(s, alphaSample);
  const tables = await get('JPEGTables');
  return {
    index,
    width,
    height,
    tiled: grid.tiled,
    blockWidth: grid.blockWidth,
    blockHeight: grid.blockHeight,
    blocksAcross: grid.blocksAcross,
    blocksDown: grid.blocksDown,
    samples: s.samples,
    bitsPerSample: s.bitsPerSample,
    sampleFormat: s.sampleFormat,
    photometric: greyTaggedColour ? 2 : s.photometric,
    greyTaggedColour,
    planar: s.planar,
    predictor,
    compression: s.compression,
    decoder,
    offsets,
    byteCounts,
    jpegTables: tables ? Uint8Array.from(tables as ArrayLike<number>) : undefined,
    alphaSample,
    newSubfileType: s.newSubfileType,
    isMask: s.isMask,
  };
}

/** ImageWidth × ImageLength, refused when empty or beyond any real orthophoto (checked before anything is allocated). */
async function imageSize(get: TagGetter, path: string): Promise<{ width: number; height: number }> {
  const width = first(await get('ImageWidth'), 0);
  const height = first(await get('ImageLength'), 0);
  if (width <= 0 || height <= 0) {
    throw new TilesError('TIANDI_E_EMPTY_IMAGE', `图像为空 image is ${width}×${height} pixels: re-export the orthophoto`, path);
  }
  if (width > LIMITS.maxSidePx || height > LIMITS.maxSidePx || width * height > LIMITS.maxPixels) {
    throw new TilesError(
      'TIANDI_E_TOO_LARGE',
      `尺寸不合理 header claims ${width}×${height} pixels, beyond any real orthophoto (limit ${LIMITS.maxSidePx} px a side): the file is corrupt; re-export it`,
      path,
    );
  }
  return { width, height };
}

/** Samples per pixel, depth, format and photometric interpretation, refused unless Tiandi can read them. */
async function sampleTags(get: TagGetter, path: string, values: boolean): Promise<SampleTags> {
  const bpsRaw = await get('BitsPerSample');
  const samples = first(await get('SamplesPerPixel'), 1);
  const bitsPerSample = first(bpsRaw, 1);
  const bpsAll = bpsRaw && typeof bpsRaw === 'object' ? Array.from(bpsRaw as ArrayLike<number>) : [bitsPerSample];
  const sampleFormat = first(await get('SampleFormat'), 1);
  const photometric = first(await get('PhotometricInterpretation'), samples >= 3 ? 2 : 1);
  const planar = first(await get('PlanarConfiguration'), 1);
  const compression = first(await get('Compression'), 1);
  const newSubfileType = first(await get('NewSubfileType'), 0);
  const isMask = photometric === 4;
  if (samples < 1 || samples > LIMITS.maxSamples) {
    throw new TilesError('TIANDI_E_UNSUPPORTED_SAMPLES', `不支持的波段数 ${samples} samples per pixel`, path);
  }
  if (bpsAll.some((b) => b !== bitsPerSample)) {
    throw new TilesError(
      'TIANDI_E_UNSUPPORTED_SAMPLES',
      `不支持的位深 mixed bit depths ${bpsAll.join('/')}: convert with gdal_translate -ot Byte -scale`,
      path,
    );
  }
  const okDepth = isMask
    ? bitsPerSample === 1 || bitsPerSample === 8
    : values
      ? ((sampleFormat === 1 || sampleFormat === 2) && [8, 16, 32].includes(bitsPerSample)) ||
        (sampleFormat === 3 && (bitsPerSample === 32 || bitsPerSample === 64))
      : (sampleFormat === 1 && (bitsPerSample === 8 || bitsPerSample === 16)) || (sampleFormat === 3 && bitsPerSample === 32);
  if (!okDepth) {
    const fmt =
      ({ 1: 'unsigned', 2: 'signed', 3: 'float', 4: 'undefined', 5: 'complex int', 6: 'complex float' } as Record<number, string>)[sampleFormat] ??
      `format ${sampleFormat}`;
    throw new TilesError(
      'TIANDI_E_UNSUPPORTED_SAMPLES',
      `不支持的样本格式 unsupported samples: ${bitsPerSample}-bit ${fmt} (Tiandi reads 8/16-bit unsigned or 32-bit float imagery); convert: gdal_translate -ot Byte -scale in.tif out.tif`,
      path,
    );
  }
  if (!isMask && ![0, 1, 2, 6].includes(photometric)) {
    throw new TilesError(
      'TIANDI_E_UNSUPPORTED_SAMPLES',
      `不支持的光度解释 unsupported PhotometricInterpretation ${photometric} (palette/CMYK/Lab): convert to RGB with gdal_translate -expand rgb`,
      path,
    );
  }
  if (photometric === 6 && compression !== 7) {
    throw new TilesError(
      'TIANDI_E_UNSUPPORTED_SAMPLES',
      '不支持的 YCbCr uncompressed YCbCr is not supported: convert with gdal_translate -co PHOTOMETRIC=RGB',
      path,
    );
  }
  return { samples, bitsPerSample, sampleFormat, photometric, planar, compression, newSubfileType, isMask };
}

/** Tile or strip size, refused when empty, nonstandard, or too large to decode one block. */
async function blockLayout(fd: ImageFileDirectory, get: TagGetter, width: number, height: number, s: SampleTags, path: string): Promise<BlockLayout> {
  const tiled = fd.hasTag('TileWidth' as never);
  const blockWidth = tiled ? first(await get('TileWidth'), 0) : width;
  const blockHeight = tiled ? first(await get('TileLength'), 0) : Math.min(first(await get('RowsPerStrip'), height), height);
  if (blockWidth <= 0 || blockHeight <= 0) {
    throw new TilesError('TIANDI_E_CORRUPT_TIFF', `损坏的文件 corrupt TIFF: block size ${blockWidth}×${blockHeight}`, path);
  }
  if (tiled && (blockWidth % 16 !== 0 || blockHeight % 16 !== 0)) {
    // The TIFF spec requires multiples of 16; libtiff calls other sizes "nonstandard, convert file".
    throw new TilesError(
      'TIANDI_E_CORRUPT_TIFF',
      `瓦片尺寸不合规 nonstandard tile size ${blockWidth}×${blockHeight} (TIFF requires multiples of 16): retile it: gdal_translate -co TILED=YES -co COMPRESS=DEFLATE in.tif out.tif`,
      path,
    );
  }
  const pixelBytes = (s.planar === 2 ? 1 : s.samples) * Math.ceil(s.bitsPerSample / 8);
  if (blockWidth * blockHeight * pixelBytes > LIMITS.maxBlockBytes) {
    throw new TilesError(
      'TIANDI_E_TOO_LARGE',
      `块过大 one ${tiled ? 'tile' : 'strip'} is ${blockWidth}×${blockHeight} px (> ${LIMITS.maxBlockBytes >> 20} MB decoded): retile it: gdal_translate -co TILED=YES -co COMPRESS=DEFLATE in.tif out.tif`,
      path,
    );
  }
  return { tiled, blockWidth, blockHeight, blocksAcross: Math.ceil(width / blockWidth), blocksDown: Math.ceil(height / blockHeight) };
}

/** Block offsets and byte counts, refused when blocks are missing, reach past the file, or are too short to hold their rows. */
async function blockTable(
  fd: ImageFileDirectory,
  get: TagGetter,
  grid: BlockLayout,
  s: SampleTags,
  height: number,
  path: string,
  fileBytes: number,
  bigEndian: boolean,
): Promise<{ offsets: ArrayLike<number>; byteCounts: ArrayLike<number> }> {
  const { tiled, blockWidth, blockHeight, blocksAcross, blocksDown } = grid;
  const nBlocks = blocksAcross * blocksDown * (s.planar === 2 ? s.samples : 1);
  const offsets = fixDeferredByteOrder(fd, tiled ? 324 : 273, (await get(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number> | undefined, bigEndian);
  const byteCounts = fixDeferredByteOrder(
    fd,
    tiled ? 325 : 279,
    (await get(tiled ? 'TileByteCounts' : 'StripByteCounts')) as ArrayLike<number> | undefined,
    bigEndian,
  );
  if (!offsets || !byteCounts || offsets.length < nBlocks || byteCounts.length < nBlocks) {
    throw new TilesError('TIANDI_E_CORRUPT_TIFF', `损坏的文件 corrupt TIFF: ${nBlocks} blocks expected, ${offsets?.length ?? 0} offsets found`, path);
  }
  const rowBytes = Math.ceil((blockWidth * (s.planar === 2 ? 1 : s.samples) * s.bitsPerSample) / 8); // 1-bit masks: packed
  for (let i = 0; i < nBlocks; i++) {
    const count = Number(byteCounts[i]);
    const end = Number(offsets[i]) + count;
    if (count > 0 && end > fileBytes) {
      throw new TilesError(
        'TIANDI_E_CORRUPT_TIFF',
        `文件被截断 truncated file: block ${i} ends at byte ${end}, the file has ${fileBytes}; copy or download it again`,
        path,
      );
    }
    // Uncompressed blocks hold every byte of their rows (tiles: the whole tile); libtiff refuses fewer.
    const rows = tiled ? blockHeight : Math.min(blockHeight, height - (i % blocksDown) * blockHeight);
    if (s.compression === 1 && count > 0 && count < rows * rowBytes) {
      throw new TilesError(
        'TIANDI_E_CORRUPT_TIFF',
        `数据不足 block ${i} holds ${count} bytes, its ${rows} uncompressed rows need ${rows * rowBytes}: the file is corrupt; export it again`,
        path,
      );
    }
  }
  return { offsets, byteCounts };
}

/**
 * Whether samples tagged grey (MINISBLACK) are colour: three or more before any alpha. Python writers (rasterio,
 * tifffile) and `gdal_merge.py -separate` tag R, G, B bands so, and GDAL and QGIS show the first three as red, green
 * and blue; read as grey, the detector saw band 1 only (2 candidates instead of 38 on a synthetic scene).
 */
function readsGreyAsColour(s: SampleTags, alphaSample: number): boolean {
  return s.photometric === 1 && !s.isMask && s.samples >= 3 && (alphaSample < 0 || alphaSample >= 3);
}

/** Index of the alpha sample (the first ExtraSamples entry that is associated or unassociated alpha), or -1. */
async function alphaSampleOf(get: TagGetter, photometric: number, samples: number): Promise<number> {
  const extra = await get('ExtraSamples');
  if (extra === undefined) return -1;
  const ex = typeof extra === 'number' ? [extra] : Array.from(extra as ArrayLike<number>);
  const colour = photometric === 2 || photometric === 6 ? 3 : 1;
  const i = ex.findIndex((e) => e === 1 || e === 2);
  return i >= 0 && colour + i < samples ? colour + i : -1;
}
