import { open, stat, type FileHandle } from 'node:fs/promises';
import { GeoTIFF } from 'geotiff';
import { crsFromProj4, getCrs, type Crs } from '@tiandi/geo/crs';
import { TilesError, throwIfAborted } from '../errors';
import type { GeoTransform } from '../write/geo-tags';
import { checkTiffStructure } from './check-tiff-structure';
import { groundSampleDistance, implausibleGeoref, pixelToWgs84 } from './georef';
import { resolveGeoref } from './sidecar-georef';
import { sampledRange } from './sample-range';
import { ifdInfo, type IfdInfo } from './ifd-info';
import { LIMITS } from './limits';
import { createLevelReader, scaledJpegIfd, type StripDecoder } from './level-reader';
import { resampleArea, type RgbRaster } from './resample-area';

/** A pixel box [x0, y0, x1, y1) in full-resolution pixel coordinates (fractional allowed). */
export type PixelBox = readonly [number, number, number, number];

/** One resolution level: the full image or an internal overview. */
export interface SourceLevel {
  width: number;
  height: number;
  /** Full-resolution pixels per level pixel, along x and y. */
  scaleX: number;
  scaleY: number;
  /** Its blocks' size, when it differs from the file's (a level decoded smaller than its blocks: {@link GeoTiffSource.scaleJpegLevel}). */
  blockWidth?: number;
  blockHeight?: number;
}

/** A GeoTIFF opened for windowed reading; never reads the whole image. */
export interface GeoTiffSource {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly fileBytes: number;
  /** Samples per pixel of the full-resolution image (alpha included). */
  readonly bands: number;
  readonly crs: Crs;
  readonly geoTransform: GeoTransform;
  /** Ground metres per pixel along columns and rows, measured at the image centre. */
  readonly gsdM: { x: number; y: number };
  /** TIFFTAG_DATETIME as an ISO-8601 local time (`2026-04-02T03:04:05`), when present. */
  readonly acquired?: string;
  readonly noData?: number;
  /** What marks invalid pixels. */
  readonly maskKind: 'alpha' | 'mask' | 'nodata' | 'none';
  /** How the bands were read when their tags leave it open (colour bands tagged grey), for the scan summary. */
  readonly bandNote?: string;
  /** Compression tag and layout, for messages and summaries. */
  readonly layout: {
    compression: number;
    tiled: boolean;
    blockWidth: number;
    blockHeight: number;
    bitsPerSample: number;
    sampleFormat: number;
    bigTiff: boolean;
  };
  readonly levels: readonly SourceLevel[];
  /** Pixel (col, row; corners at integers) → WGS 84 [lon, lat]. */
  pixelToWgs84(col: number, row: number): [number, number];
  /**
   * Reads a window as 8-bit RGB + valid mask, resampled (area average) to `outWidth × outHeight`,
   * from the coarsest overview that is still at least as fine as the request.
   */
  readWindow(box: PixelBox, outWidth?: number, outHeight?: number, signal?: AbortSignal): Promise<RgbRaster>;
  /**
   * Raw samples (every band, interleaved) of a pixel window [x0, y0, x1, y1) of level `level` (an index into
   * {@link levels}), for rasters whose values matter rather than their colours, such as a scan's heatmap.
   */
  readSamples(level: number, window: readonly [number, number, number, number], signal?: AbortSignal): Promise<ArrayLike<number>>;
  /** Blocks (tiles/strips) decoded so far. */
  blocksDecoded(): number;
  /** Changes the decoded-block cache budget (bytes). */
  setCacheBytes(bytes: number): void;
  /**
   * Builds the full-resolution level reduced `factor`× in the temporary file `file` (created when `create`, else
   * another thread's), from every full-resolution block decoded from now on (reduced-level.ts). False when the
   * file has a coarser level than that anyway, a mask IFD, or blocks that do not split into whole reduced pixels.
   * Windows read from it only after {@link useReducedLevel}.
   */
  reduceLevel(factor: number, file: string, create: boolean): Promise<boolean>;
  /** Lets readWindow read the reduced level (once the scan has decoded the blocks it is made of). */
  useReducedLevel(): void;
  /** Forgets the reduced level and closes its file (removed by the thread that created it). */
  dropReducedLevel(): Promise<void>;
  /**
   * Adds a level `factor`× (2, 4 or 8) coarser than the full image, read from its JPEG blocks decoded that much
   * smaller straight from their DCT coefficients (jpeg-scaled.ts): windows at least that coarse read it, as they
   * would an overview, and decode no block at full size. False (and no level) unless the file is tiled 8-bit RGB
   * JPEG without a mask or nodata, both the image and its blocks split into whole scaled pixels, the file has no
   * level as coarse already, and the decoder loads.
   */
  scaleJpegLevel(factor: number): boolean;
  /**
   * Keeps blocks asked for with {@link keepBlocksUnder} in the temporary file `file` (created when `create`, else
   * another thread's; kept-blocks.ts) and reads them back from it rather than decoding them again: blocks of the
   * level the first stage decodes, the full image's, or the level decoded smaller ({@link scaleJpegLevel}) once there is one.
   * This source keeps at most `limitBytes` (the temp folder's room); blocks past it are decoded again when read again.
   * At most `inFlightBytes` of kept blocks are held while written on the thread pool (the memory plan's share).
   * The first `memoryBytes` of kept blocks are held in memory as decoded, not written (the thread that reads them
   * again; the memory plan's share).
   */
  keepBlocks(file: string, create: boolean, limitBytes?: number, inFlightBytes?: number, memoryBytes?: number): Promise<void>;
  /** Asks that the kept level's blocks under a (full-resolution) pixel box be kept: at once while cached, else when next decoded. */
  keepBlocksUnder(box: PixelBox): void;
  /** Closes the kept blocks' file (removed by the thread that created it). */
  dropKeptBlocks(): Promise<void>;
  /** From now on, hands part of each band of LZW strips to `d`, another thread, while this one decodes the rest (undefined: none). */
  decodeStripsWith(d: StripDecoder | undefined): void;
  close(): Promise<void>;
}

/** Options of {@link openGeoTiffSource}. */
export interface OpenGeoTiffOptions {
  /** CRS override (EPSG code, `EPSG:xxxx`, proj4 string or Crs) for files whose GeoKeys are missing or unknown. */
  crs?: Crs | string | number;
  /** Bytes of decoded blocks kept (default 64 MB); size it to a row of tiles so striped files are decoded once per pass. */
  cacheBytes?: number;
  /**
   * Open a raster read for its values only, with {@link GeoTiffSource.readSamples} (a DEM): signed, 32-bit integer
   * and 64-bit float samples are accepted, and readWindow refuses.
   */
  values?: boolean;
  signal?: AbortSignal;
}

interface Level extends SourceLevel {
  ifd: IfdInfo;
  mask?: IfdInfo;
}

function isoFromTiffDate(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s.trim());
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` : undefined;
}

function resolveCrs(c: Crs | string | number | undefined): Crs | undefined {
  if (c === undefined) return undefined;
  if (typeof c === 'object') return c;
  if (typeof c === 'string' && c.trim().startsWith('+')) return crsFromProj4(c);
  return getCrs(c);
}

/** The longest slice allowed past a small file's end: geotiff.js reads headers in chunks of up to this. */
const HEADER_CHUNK = 1 << 20;

/**
 * geotiff.js's view of the file (tags, and readSamples' blocks) through the handle the blocks are read with, so each
 * file is opened once (its own `fromFile` would open a second descriptor). geotiff.js asks for byte ranges and takes
 * whole ArrayBuffers, padded with zeros past the end as its file source does; the handle is closed by the source, not
 * by geotiff.js. A slice longer than the file is refused: geotiff.js takes offsets and byte counts from the file as
 * they are, and a forged count (gigabytes, or beyond 32 bits) would allocate that much or abort Node in fs.read
 * (found when the open first read samples of a crafted file).
 */
function handleSource(fh: FileHandle, fileBytes: number) {
  return {
    fileSize: null,
    async fetch(slices: readonly { offset: number; length: number }[]): Promise<ArrayBuffer[]> {
      return Promise.all(
        slices.map(async ({ offset, length }) => {
          // Reads near the end may run past it (geotiff.js reads headers in whole chunks): the rest stays zero.
          if (!(offset >= 0 && length >= 0 && length <= Math.max(fileBytes, HEADER_CHUNK))) {
            throw new Error(`${length} bytes at byte ${offset} cannot lie in the file (${fileBytes} bytes)`);
          }
          const bytes = new Uint8Array(length);
          await fh.read(bytes, 0, length, offset);
          return bytes.buffer;
        }),
      );
    },
    async close(): Promise<void> {},
  };
}

/** What the IFDs of a file hold: the main image with its georeferencing, and its overviews and masks. */
interface TiffImages {
  main: IfdInfo;
  levels: Level[];
  masks: IfdInfo[];
  geoTransform: GeoTransform;
  crs: Crs;
  acquired?: string;
  noData?: number;
}

/** Everything a {@link GeoTiffSource} is built from, once the file is checked. */
interface OpenedTiff extends TiffImages {
  path: string;
  fh: FileHandle;
  tiff: GeoTIFF;
  fileBytes: number;
  bigTiff: boolean;
  toWgs: GeoTiffSource['pixelToWgs84'];
  gsdM: { x: number; y: number };
  maskKind: GeoTiffSource['maskKind'];
}

type BlockReader = ReturnType<typeof createLevelReader>;

/**
 * Opens a GeoTIFF for windowed reading: checks the header against sanity limits before allocating,
 * resolves georeferencing (tie point + scale or ModelTransformation, EPSG from GeoKeys or `crs`),
 * finds internal overviews and masks.
 * @throws TilesError with a `TIANDI_E_*` code for every kind of unreadable file.
 */
export async function openGeoTiffSource(path: string, options: OpenGeoTiffOptions = {}): Promise<GeoTiffSource> {
  const { signal } = options;
  throwIfAborted(signal);
  const fileBytes = await sizeOfFile(path);
  const fh: FileHandle = await open(path, 'r');
  let tiff: GeoTIFF | undefined;
  try {
    const { bigTiff, bigEndian } = await checkHeader(fh, fileBytes, path);
    let images: TiffImages | undefined;
    try {
      tiff = await GeoTIFF.fromSource(handleSource(fh, fileBytes) as never, undefined, signal);
      images = await readImages(tiff, path, fileBytes, bigEndian, options);
    } catch (err) {
      if (err instanceof TilesError) throw err;
      const msg = (err as Error).message ?? String(err);
      throw new TilesError('TIANDI_E_CORRUPT_TIFF', `文件损坏或被截断 corrupt or truncated TIFF (${msg.slice(0, 120)}): copy or export it again`, path);
    }
    if (!images) throw new TilesError('TIANDI_E_CORRUPT_TIFF', '文件损坏 the TIFF has no image', path);
    const { main, levels, masks, noData } = images;
    levels.sort((a, b) => b.width - a.width);
    for (const L of levels) L.mask = masks.find((m) => m.width === L.width && m.height === L.height);
    if (!options.values && ((main.bitsPerSample === 16 && main.sampleFormat === 1) || main.sampleFormat === 3)) {
      const range = await sampledRange(tiff, levels, noData);
      for (const L of levels) L.ifd.sampleMax = range;
    }
    const maskKind: GeoTiffSource['maskKind'] = main.alphaSample >= 0 ? 'alpha' : levels[0].mask ? 'mask' : noData !== undefined ? 'nodata' : 'none';
    const { toWgs, gsdM } = groundGeometry(images, path);
    const blocks = createLevelReader({ fh, path, bigEndian, noData, cacheBytes: options.cacheBytes ?? 64 * 1024 * 1024 });
    return buildSource({ ...images, path, fh, tiff, fileBytes, bigTiff, toWgs, gsdM, maskKind }, blocks, options);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await tiff?.close();
    throw err;
  }
}

/** The file's size in bytes; refused when it cannot be opened or is empty. */
async function sizeOfFile(path: string): Promise<number> {
  let fileBytes: number;
  try {
    fileBytes = (await stat(path)).size;
  } catch (err) {
    throw new TilesError(
      'TIANDI_E_NOT_TIFF',
      `无法打开 cannot open the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): check the path`,
      path,
    );
  }
  if (fileBytes === 0) throw new TilesError('TIANDI_E_NOT_TIFF', '文件为空 the file is empty (0 bytes): copy or export it again', path);
  return fileBytes;
}

/** The TIFF magic and version (classic or BigTIFF, either byte order); every count and offset of the header is checked against the file. */
async function checkHeader(fh: FileHandle, fileBytes: number, path: string): Promise<{ bigTiff: boolean; bigEndian: boolean }> {
  const head = Buffer.alloc(4);
  await fh.read(head, 0, 4, 0);
  const magic = head.toString('latin1', 0, 2);
  const version = magic === 'II' ? head.readUInt16LE(2) : magic === 'MM' ? head.readUInt16BE(2) : 0;
  if (version !== 42 && version !== 43) {
    throw new TilesError('TIANDI_E_NOT_TIFF', '不是 TIFF 文件 not a TIFF file: export the orthophoto as GeoTIFF', path);
  }
  const bigTiff = version === 43;
  const bigEndian = magic === 'MM';
  // Every count and offset of the header is bounded by the file before geotiff.js allocates anything.
  await checkTiffStructure(fh, fileBytes, path, { bigTiff, bigEndian });
  return { bigTiff, bigEndian };
}

/** Reads the IFDs: the first is the main image (with its georeferencing), later ones overviews or masks; undefined when there is no image. */
async function readImages(tiff: GeoTIFF, path: string, fileBytes: number, bigEndian: boolean, options: OpenGeoTiffOptions): Promise<TiffImages | undefined> {
  const levels: Level[] = [];
  const masks: IfdInfo[] = [];
  let images: TiffImages | undefined;
  for (let i = 0; i < LIMITS.maxIfds; i++) {
    let fd;
    try {
      fd = await tiff.requestIFD(i);
    } catch (err) {
      if ((err as Error).name === 'GeoTIFFImageIndexError' || /No image at index/i.test((err as Error).message)) break;
      throw err;
    }
    if (i === 0) {
      const main = await ifdInfo(fd, i, path, fileBytes, bigEndian, options.values);
      images = { main, levels, masks, ...(await mainImageTags(tiff, fd, path, options)) };
      levels.push({ width: main.width, height: main.height, scaleX: 1, scaleY: 1, ifd: main });
      continue;
    }
    const sub = Number((await fd.loadValue('NewSubfileType' as never)) ?? 0);
    const isMask = (sub & 4) !== 0;
    const isOverview = (sub & 1) !== 0;
    if (!isMask && !isOverview) continue;
    const info = await ifdInfo(fd, i, path, fileBytes, bigEndian, options.values);
    const main = images!.main;
    if (isMask) masks.push(info);
    else if (info.samples === main.samples) {
      levels.push({ width: info.width, height: info.height, scaleX: main.width / info.width, scaleY: main.height / info.height, ifd: info });
    }
  }
  return images;
}

/** The main image's georeferencing, acquisition date and nodata value. */
async function mainImageTags(
  tiff: GeoTIFF,
  fd: Awaited<ReturnType<GeoTIFF['requestIFD']>>,
  path: string,
  options: OpenGeoTiffOptions,
): Promise<{ geoTransform: GeoTransform; crs: Crs; acquired?: string; noData?: number }> {
  const img = await tiff.getImage(0);
  const geoKeys = img.getGeoKeys();
  const load = (n: string) => fd.loadValue(n as never) as Promise<number[] | undefined>;
  // GDAL's order: a PAM .aux.xml, then the GeoTIFF tags, then a world file (.tfw/.tifw/.wld); a .prj for the CRS last.
  const { geoTransform, crs } = await resolveGeoref(
    path,
    {
      modelTransformation: await load('ModelTransformation'),
      modelTiepoint: await load('ModelTiepoint'),
      modelPixelScale: await load('ModelPixelScale'),
      geoKeys,
    },
    resolveCrs(options.crs),
  );
  const acquired = isoFromTiffDate(await fd.loadValue('DateTime' as never));
  let noData: number | undefined;
  const nd = (await fd.loadValue('GDAL_NODATA' as never)) as string | undefined;
  if (nd !== undefined && String(nd).trim() !== '') {
    const v = Number(String(nd).replace(/\0/g, '').trim());
    if (!Number.isNaN(v) || /nan/i.test(String(nd))) noData = v;
  }
  return { geoTransform, crs, acquired, noData };
}

/** Pixel → WGS 84 and the ground sample distance at the image centre; refused when the georeferencing is implausible. */
function groundGeometry({ main, geoTransform, crs }: TiffImages, path: string): { toWgs: GeoTiffSource['pixelToWgs84']; gsdM: { x: number; y: number } } {
  const toWgs = pixelToWgs84(geoTransform, crs);
  let gsdM: { x: number; y: number };
  try {
    gsdM = groundSampleDistance(toWgs, main.width / 2, main.height / 2);
  } catch {
    throw new TilesError('TIANDI_E_NO_GEOREF', `地理参考无效 georeferencing puts the image outside ${crs.id}'s valid area: check the CRS (or --crs)`, path);
  }
  if (!(gsdM.x > 0 && gsdM.y > 0 && Number.isFinite(gsdM.x) && Number.isFinite(gsdM.y))) {
    throw new TilesError('TIANDI_E_NO_GEOREF', `地理参考无效 cannot measure the pixel size on the ground in ${crs.id}: check the CRS (or --crs)`, path);
  }
  const wrong = implausibleGeoref(geoTransform, main.width, main.height, toWgs, gsdM, crs.id);
  if (wrong) throw new TilesError('TIANDI_E_NO_GEOREF', wrong, path);
  return { toWgs, gsdM };
}

/** The source object over a checked file: windows, samples, the reduced level and kept blocks, and closing. */
function buildSource(o: OpenedTiff, blocks: BlockReader, options: OpenGeoTiffOptions): GeoTiffSource {
  const { path, main, levels, fh, tiff } = o;
  const { signal } = options;
  let reducedLevel: Level | undefined;
  let pendingReduced: Level | undefined;
  let keptLevel: Level | undefined;
  const shown: SourceLevel[] = levels.map(({ width, height, scaleX, scaleY }) => ({ width, height, scaleX, scaleY }));
  return {
    path,
    width: main.width,
    height: main.height,
    fileBytes: o.fileBytes,
    bands: main.samples,
    crs: o.crs,
    geoTransform: o.geoTransform,
    gsdM: o.gsdM,
    acquired: o.acquired,
    noData: o.noData,
    maskKind: o.maskKind,
    ...bandNoteOf(main),
    layout: {
      compression: main.compression,
      tiled: main.tiled,
      blockWidth: main.blockWidth,
      blockHeight: main.blockHeight,
      bitsPerSample: main.bitsPerSample,
      sampleFormat: main.sampleFormat,
      bigTiff: o.bigTiff,
    },
    levels: shown,
    pixelToWgs84: o.toWgs,
    async readWindow(box, outWidth, outHeight, sig) {
      throwIfAborted(sig ?? signal);
      if (options.values)
        throw new TilesError('TIANDI_E_INTERNAL', '按数值打开的栅格只能用 readSamples a raster opened for its values is read with readSamples', path);
      return readLevelWindow(reducedLevel ? [...levels, reducedLevel] : levels, blocks, box, outWidth, outHeight, sig ?? signal);
    },
    async readSamples(level, window, sig) {
      throwIfAborted(sig ?? signal);
      const image = await tiff.getImage(levels[level].ifd.index);
      return (await image.readRasters({ window: [...window], interleave: true, signal: sig ?? signal })) as unknown as ArrayLike<number>;
    },
    blocksDecoded: () => blocks.decodes(),
    setCacheBytes: (bytes) => blocks.setCacheBytes(bytes),
    async reduceLevel(factor, file, create) {
      const base = levels[0];
      if (base.mask || levels.some((l) => l !== base && l.scaleX <= factor * (1 + 1e-9) && l.scaleY <= factor * (1 + 1e-9))) return false;
      const info = await blocks.reduceInto(base.ifd, factor, file, create);
      if (!info) return false;
      pendingReduced = { width: info.width, height: info.height, scaleX: factor, scaleY: factor, ifd: info };
      return true;
    },
    useReducedLevel() {
      reducedLevel = pendingReduced;
      // Complete: blocks decoded from now on (for the verifier) need not be reduced again.
      blocks.stopReducing();
    },
    scaleJpegLevel: (factor) => addScaledJpegLevel(levels, shown, factor, o.noData),
    async dropReducedLevel() {
      reducedLevel = pendingReduced = undefined;
      await blocks.dropReduced();
    },
    async keepBlocks(file, create, limitBytes, inFlightBytes, memoryBytes) {
      keptLevel = keptLevelOf(levels);
      await blocks.keepInto(keptLevel.ifd, file, create, limitBytes, inFlightBytes, memoryBytes);
    },
    keepBlocksUnder: (box) => keepUnderLevel(blocks, keptLevel ?? levels[0], box),
    dropKeptBlocks: () => blocks.dropKept(),
    decodeStripsWith: (d) => blocks.decodeStripsWith(d),
    async close() {
      reducedLevel = pendingReduced = undefined;
      await blocks.dropReduced();
      await blocks.dropKept();
      blocks.clear();
      await fh.close().catch(() => undefined);
      await tiff?.close();
    },
  };
}

/** The level whose blocks a scan keeps: the one decoded smaller for the first stage when there is one, else the full image. */
const keptLevelOf = (levels: Level[]): Level => levels.find((l) => l.blockWidth !== undefined) ?? levels[0];

/** Asks for the kept level `L`'s blocks under a full-resolution pixel box. */
function keepUnderLevel(blocks: BlockReader, L: Level, [x0, y0, x1, y1]: PixelBox): void {
  blocks.keepUnder(Math.floor(x0 / L.scaleX), Math.floor(y0 / L.scaleY), Math.ceil(x1 / L.scaleX), Math.ceil(y1 / L.scaleY));
}

/** GeoTiffSource.scaleJpegLevel: the level, in the reader's `levels` and the ones shown, or false. */
function addScaledJpegLevel(levels: Level[], shown: SourceLevel[], factor: number, noData: number | undefined): boolean {
  const base = levels[0];
  const coarse = levels.some((l) => l !== base && l.scaleX <= factor * (1 + 1e-9) && l.scaleY <= factor * (1 + 1e-9));
  // Nodata compares pixel values, which a scaled decode blends across its edge.
  if (base.mask || noData !== undefined || coarse) return false;
  const ifd = scaledJpegIfd(base.ifd, factor);
  if (!ifd) return false;
  const L = { width: ifd.width, height: ifd.height, scaleX: factor, scaleY: factor, blockWidth: ifd.blockWidth, blockHeight: ifd.blockHeight };
  levels.push({ ...L, ifd });
  shown.push(L);
  return true;
}

/**
 * A window read from the coarsest of `candidates` (levels[0] first: the full image) still at least as fine as the
 * request, area-averaged to `outWidth × outHeight`; all invalid when the window misses the image.
 */
async function readLevelWindow(
  candidates: Level[],
  blocks: BlockReader,
  box: PixelBox,
  outWidth: number | undefined,
  outHeight: number | undefined,
  signal: AbortSignal | undefined,
): Promise<RgbRaster> {
  const [x0, y0, x1, y1] = box;
  const ow = outWidth ?? Math.max(1, Math.round(x1 - x0));
  const oh = outHeight ?? Math.max(1, Math.round(y1 - y0));
  const sx = (x1 - x0) / ow;
  const sy = (y1 - y0) / oh;
  let L = candidates[0];
  for (const c of candidates) if (c.scaleX <= sx * (1 + 1e-9) && c.scaleY <= sy * (1 + 1e-9) && c.width < L.width) L = c;
  const lx0 = x0 / L.scaleX;
  const ly0 = y0 / L.scaleY;
  const lx1 = x1 / L.scaleX;
  const ly1 = y1 / L.scaleY;
  const rx0 = Math.max(0, Math.floor(lx0));
  const ry0 = Math.max(0, Math.floor(ly0));
  const rx1 = Math.min(L.width, Math.ceil(lx1 - 1e-9));
  const ry1 = Math.min(L.height, Math.ceil(ly1 - 1e-9));
  if (rx1 <= rx0 || ry1 <= ry0) {
    return { width: ow, height: oh, rgb: new Uint8Array(ow * oh * 3), valid: new Uint8Array(ow * oh) };
  }
  const region = await blocks.readLevel(L.ifd, L.mask, rx0, ry0, rx1, ry1, signal);
  // resampleArea writes new arrays, so the region's buffer can serve the next window.
  const out = resampleArea(region, [lx0 - rx0, ly0 - ry0, lx1 - rx0, ly1 - ry0], ow, oh);
  blocks.release(region);
  return out;
}

/** What the scan says once about how it read an image's bands, where their tags leave it open: absent when they do not. */
function bandNoteOf(main: IfdInfo): { bandNote?: string } {
  const usual = main.sampleFormat === 3 ? 255 : 65535;
  const notes = [
    main.greyTaggedColour ? greyTaggedNote(main.samples) : '',
    main.sampleMax && main.sampleMax !== usual ? rangeNote(main.sampleMax, main.sampleFormat === 3) : '',
  ];
  const said = notes.filter((n) => n);
  return said.length ? { bandNote: said.join('; ') } : {};
}

/** What the scan says about 16-bit or float samples found stored in another range than the usual (sample-range.ts). */
function rangeNote(max: number, float: boolean): string {
  if (float) return `浮点样本按 0–${max} 读取 float samples stored in 0–${max}: read as 0–${max} → 0–255, not 0–255 clamped`;
  return max === 255
    ? '16 位文件中的样本都不超过 255，按 8 位读取 16-bit samples that never exceed 255 (8-bit values in a 16-bit file): read as they are'
    : `16 位样本最大不超过 ${max}，按 0–${max} 读取 16-bit samples stored in 0–${max} (${Math.log2(max + 1)}-bit): read as 0–${max} → 0–255, not 0–65535`;
}

/** What the scan says once about an image whose colour bands are tagged grey (see ifd-info's readsGreyAsColour). */
export const greyTaggedNote = (samples: number) =>
  `${samples} 个波段标为灰度，第 1、2、3 波段按红、绿、蓝读取 ${samples} bands tagged grey (MINISBLACK): bands 1, 2, 3 read as red, green, blue, ` +
  'as GDAL and QGIS show them; if they are in another order, write them as RGB first: ' +
  'gdal_translate -b <red> -b <green> -b <blue> -co PHOTOMETRIC=RGB in.tif out.tif';
