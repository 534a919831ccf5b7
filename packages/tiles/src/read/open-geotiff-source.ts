import { open, stat, type FileHandle } from 'node:fs/promises';
import { fromFile, type GeoTIFF } from 'geotiff';
import { crsFromProj4, getCrs, type Crs } from '@tiandi/geo/crs';
import { TilesError, throwIfAborted } from '../errors';
import type { GeoTransform } from '../write/geo-tags';
import { BlockCache } from './block-cache';
import { undoFloatPredictor, undoHorizontalPredictor, type BlockLayout } from './codecs';
import { crsFromGeoKeys, geoTransformFromTags, groundSampleDistance, pixelToWgs84 } from './georef';
import { ifdInfo, type IfdInfo } from './ifd-info';
import { resampleArea, type RgbRaster } from './resample-area';
import { toMaskBlock, toRgbBlock, type RgbBlock } from './rgb-block';

/** A pixel box [x0, y0, x1, y1) in full-resolution pixel coordinates (fractional allowed). */
export type PixelBox = readonly [number, number, number, number];

/** One resolution level: the full image or an internal overview. */
export interface SourceLevel {
  width: number;
  height: number;
  /** Full-resolution pixels per level pixel, along x and y. */
  scaleX: number;
  scaleY: number;
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
  /** Compression tag and layout, for messages and summaries. */
  readonly layout: { compression: number; tiled: boolean; blockWidth: number; blockHeight: number; bitsPerSample: number; bigTiff: boolean };
  readonly levels: readonly SourceLevel[];
  /** Pixel (col, row; corners at integers) → WGS 84 [lon, lat]. */
  pixelToWgs84(col: number, row: number): [number, number];
  /**
   * Reads a window as 8-bit RGB + valid mask, resampled (area average) to `outWidth × outHeight`,
   * from the coarsest overview that is still at least as fine as the request.
   */
  readWindow(box: PixelBox, outWidth?: number, outHeight?: number, signal?: AbortSignal): Promise<RgbRaster>;
  /** Blocks (tiles/strips) decoded so far. */
  blocksDecoded(): number;
  /** Changes the decoded-block cache budget (bytes). */
  setCacheBytes(bytes: number): void;
  close(): Promise<void>;
}

/** Options of {@link openGeoTiffSource}. */
export interface OpenGeoTiffOptions {
  /** CRS override (EPSG code, `EPSG:xxxx`, proj4 string or Crs) for files whose GeoKeys are missing or unknown. */
  crs?: Crs | string | number;
  /** Bytes of decoded blocks kept (default 64 MB); size it to a row of tiles so striped files are decoded once per pass. */
  cacheBytes?: number;
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

/**
 * Opens a GeoTIFF for windowed reading: checks the header against sanity limits before allocating,
 * resolves georeferencing (tie point + scale or ModelTransformation, EPSG from GeoKeys or `crs`),
 * finds internal overviews and masks.
 * @throws TilesError with a `TIANDI_E_*` code for every kind of unreadable file.
 */
export async function openGeoTiffSource(path: string, options: OpenGeoTiffOptions = {}): Promise<GeoTiffSource> {
  const { signal } = options;
  throwIfAborted(signal);
  let fileBytes: number;
  try {
    fileBytes = (await stat(path)).size;
  } catch (err) {
    throw new TilesError('TIANDI_E_NOT_TIFF', `无法打开 cannot open the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): check the path`, path);
  }
  if (fileBytes === 0) throw new TilesError('TIANDI_E_NOT_TIFF', '文件为空 the file is empty (0 bytes): copy or export it again', path);
  const fh: FileHandle = await open(path, 'r');
  let tiff: GeoTIFF | undefined;
  try {
    const head = Buffer.alloc(4);
    await fh.read(head, 0, 4, 0);
    const magic = head.toString('latin1', 0, 2);
    const version = magic === 'II' ? head.readUInt16LE(2) : magic === 'MM' ? head.readUInt16BE(2) : 0;
    if (version !== 42 && version !== 43) {
      throw new TilesError('TIANDI_E_NOT_TIFF', '不是 TIFF 文件 not a TIFF file: export the orthophoto as GeoTIFF', path);
    }
    const bigTiff = version === 43;
    const bigEndian = magic === 'MM';
    const levels: Level[] = [];
    const masks: IfdInfo[] = [];
    let main: IfdInfo | undefined;
    let geoTransform: GeoTransform;
    let crs: Crs;
    let acquired: string | undefined;
    let noData: number | undefined;
    try {
      tiff = await fromFile(path, signal);
      for (let i = 0; ; i++) {
        let fd;
        try {
          fd = await tiff.requestIFD(i);
        } catch (err) {
          if ((err as Error).name === 'GeoTIFFImageIndexError' || /No image at index/i.test((err as Error).message)) break;
          throw err;
        }
        if (i > 64) break;
        if (i === 0) {
          main = await ifdInfo(fd, i, path, fileBytes, magic === 'MM');
          const img = await tiff.getImage(0);
          const geoKeys = img.getGeoKeys();
          const load = (n: string) => fd.loadValue(n as never) as Promise<number[] | undefined>;
          geoTransform = geoTransformFromTags(
            { modelTransformation: await load('ModelTransformation'), modelTiepoint: await load('ModelTiepoint'), modelPixelScale: await load('ModelPixelScale'), geoKeys },
            path,
          );
          crs = crsFromGeoKeys(geoKeys, path, resolveCrs(options.crs));
          acquired = isoFromTiffDate(await fd.loadValue('DateTime' as never));
          const nd = (await fd.loadValue('GDAL_NODATA' as never)) as string | undefined;
          if (nd !== undefined && String(nd).trim() !== '') {
            const v = Number(String(nd).replace(/\0/g, '').trim());
            if (!Number.isNaN(v) || /nan/i.test(String(nd))) noData = v;
          }
          levels.push({ width: main.width, height: main.height, scaleX: 1, scaleY: 1, ifd: main });
          continue;
        }
        const sub = Number((await fd.loadValue('NewSubfileType' as never)) ?? 0);
        const isMask = (sub & 4) !== 0;
        const isOverview = (sub & 1) !== 0;
        if (!isMask && !isOverview) continue;
        const info = await ifdInfo(fd, i, path, fileBytes, magic === 'MM');
        if (isMask) masks.push(info);
        else if (info.samples === main!.samples) {
          levels.push({ width: info.width, height: info.height, scaleX: main!.width / info.width, scaleY: main!.height / info.height, ifd: info });
        }
      }
    } catch (err) {
      if (err instanceof TilesError) throw err;
      const msg = (err as Error).message ?? String(err);
      throw new TilesError('TIANDI_E_CORRUPT_TIFF', `文件损坏或被截断 corrupt or truncated TIFF (${msg.slice(0, 120)}): copy or export it again`, path);
    }
    if (!main) throw new TilesError('TIANDI_E_CORRUPT_TIFF', '文件损坏 the TIFF has no image', path);
    levels.sort((a, b) => b.width - a.width);
    for (const L of levels) L.mask = masks.find((m) => m.width === L.width && m.height === L.height);
    const maskKind: GeoTiffSource['maskKind'] = main.alphaSample >= 0 ? 'alpha' : levels[0].mask ? 'mask' : noData !== undefined ? 'nodata' : 'none';
    const toWgs = pixelToWgs84(geoTransform!, crs!);
    let gsdM: { x: number; y: number };
    try {
      gsdM = groundSampleDistance(toWgs, main.width / 2, main.height / 2);
    } catch (err) {
      throw new TilesError('TIANDI_E_NO_GEOREF', `地理参考无效 georeferencing puts the image outside ${crs!.id}'s valid area: check the CRS (or --crs)`, path);
    }
    if (!(gsdM.x > 0 && gsdM.y > 0 && Number.isFinite(gsdM.x) && Number.isFinite(gsdM.y))) {
      throw new TilesError('TIANDI_E_NO_GEOREF', `地理参考无效 cannot measure the pixel size on the ground in ${crs!.id}: check the CRS (or --crs)`, path);
    }
    const cache = new BlockCache<RgbBlock>(options.cacheBytes ?? 64 * 1024 * 1024);
    const maskCache = new BlockCache<Uint8Array>(32 * 1024 * 1024);

    const readBytes = async (info: IfdInfo, block: number, sig?: AbortSignal): Promise<Uint8Array | null> => {
      const off = Number(info.offsets[block]);
      const n = Number(info.byteCounts[block]);
      if (!n) return null;
      throwIfAborted(sig);
      const buf = Buffer.allocUnsafe(n);
      const { bytesRead } = await fh.read(buf, 0, n, off);
      if (bytesRead !== n) throw new TilesError('TIANDI_E_CORRUPT_TIFF', `文件被截断 truncated file at byte ${off + bytesRead}`, path);
      return buf;
    };
    const rowsOf = (info: IfdInfo, by: number) => Math.min(info.blockHeight, info.height - by * info.blockHeight);
    const decodeRaw = async (info: IfdInfo, bytes: Uint8Array, layout: BlockLayout, rows: number): Promise<Uint8Array> => {
      let raw: Uint8Array;
      try {
        raw = await info.decoder(bytes, layout);
      } catch (err) {
        throw new TilesError('TIANDI_E_CORRUPT_TIFF', `数据损坏 cannot decode a block (${(err as Error).message?.slice(0, 100)}): the file is corrupt; export it again`, path);
      }
      // Big-endian files ("MM") store 16/32-bit samples most significant byte first (the floating-point
      // predictor is undone first and swapped after).
      if (bigEndian && info.bitsPerSample > 8 && info.predictor !== 3) {
        if (raw.byteOffset % 4 !== 0) raw = raw.slice();
        if (info.bitsPerSample === 16) new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength >> 1).forEach((v, i, a) => (a[i] = ((v & 0xff) << 8) | (v >> 8)));
        else Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength - (raw.byteLength % 4)).swap32();
      }
      if (info.predictor === 2) undoHorizontalPredictor(raw, layout, rows);
      else if (info.predictor === 3 && info.bitsPerSample === 32) {
        raw = undoFloatPredictor(raw, layout, rows);
        // The planes come out in the file's byte order (checked against GDAL-written big-endian files).
        if (bigEndian) Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength - (raw.byteLength % 4)).swap32();
      }
      return raw;
    };
    const getBlock = (info: IfdInfo, bx: number, by: number, sig?: AbortSignal): Promise<RgbBlock> =>
      cache.get(`${info.index}:${bx}:${by}`, async () => {
        const rows = rowsOf(info, by);
        const planes: Uint8Array[] = [];
        const planeCount = info.planar === 2 ? info.samples : 1;
        const perPlane = info.blocksAcross * info.blocksDown;
        const layout: BlockLayout = {
          blockWidth: info.blockWidth,
          blockHeight: info.blockHeight,
          samples: info.planar === 2 ? 1 : info.samples,
          bitsPerSample: info.bitsPerSample,
          predictor: info.predictor,
          jpegTables: info.jpegTables,
        };
        const needed = info.planar === 2 ? [...new Set([0, 1, 2, info.alphaSample].filter((s) => s >= 0 && s < info.samples))] : [0];
        for (let s = 0; s < planeCount; s++) {
          if (!needed.includes(s)) {
            planes.push(new Uint8Array(0));
            continue;
          }
          const bytes = await readBytes(info, s * perPlane + by * info.blocksAcross + bx, sig);
          if (!bytes) {
            const n = info.blockWidth * rows;
            return { width: info.blockWidth, rows, rgb: new Uint8Array(n * 3), valid: new Uint8Array(n), byteLength: n * 4 };
          }
          planes.push(await decodeRaw(info, bytes, layout, rows));
        }
        const need = info.blockWidth * rows * layout.samples * Math.ceil(info.bitsPerSample / 8);
        for (const p of planes) {
          if (p.length && p.length < need) {
            throw new TilesError('TIANDI_E_CORRUPT_TIFF', `数据损坏 a block decoded to ${p.length} bytes, expected ${need}: the file is corrupt`, path);
          }
        }
        return toRgbBlock(info, planes, rows, noData);
      });
    const getMask = (info: IfdInfo, bx: number, by: number, sig?: AbortSignal): Promise<Uint8Array> =>
      maskCache.get(`${info.index}:${bx}:${by}`, async () => {
        const rows = rowsOf(info, by);
        const bytes = await readBytes(info, by * info.blocksAcross + bx, sig);
        if (!bytes) return new Uint8Array(info.blockWidth * rows);
        const layout: BlockLayout = { blockWidth: info.blockWidth, blockHeight: info.blockHeight, samples: 1, bitsPerSample: info.bitsPerSample, predictor: info.predictor };
        return toMaskBlock(info, await decodeRaw(info, bytes, layout, rows), rows);
      });

    const readLevel = async (L: Level, rx0: number, ry0: number, rx1: number, ry1: number, sig?: AbortSignal): Promise<RgbRaster> => {
      const rw = rx1 - rx0;
      const rh = ry1 - ry0;
      const rgb = new Uint8Array(rw * rh * 3);
      const valid = new Uint8Array(rw * rh).fill(1);
      let allValid = !L.mask;
      const info = L.ifd;
      const jobs: Promise<void>[] = [];
      for (let by = Math.floor(ry0 / info.blockHeight); by <= Math.floor((ry1 - 1) / info.blockHeight); by++) {
        for (let bx = Math.floor(rx0 / info.blockWidth); bx <= Math.floor((rx1 - 1) / info.blockWidth); bx++) {
          jobs.push(
            getBlock(info, bx, by, sig).then((b) => {
              const bx0 = bx * info.blockWidth;
              const by0 = by * info.blockHeight;
              const cx0 = Math.max(rx0, bx0);
              const cx1 = Math.min(rx1, bx0 + info.blockWidth, info.width);
              const cy0 = Math.max(ry0, by0);
              const cy1 = Math.min(ry1, by0 + b.rows);
              const n = cx1 - cx0;
              for (let y = cy0; y < cy1; y++) {
                const s = (y - by0) * b.width + (cx0 - bx0);
                const d = (y - ry0) * rw + (cx0 - rx0);
                rgb.set(b.rgb.subarray(s * 3, (s + n) * 3), d * 3);
                if (b.valid) {
                  valid.set(b.valid.subarray(s, s + n), d);
                  allValid = false;
                }
              }
            }),
          );
        }
      }
      await Promise.all(jobs);
      const m = L.mask;
      if (m) {
        const mj: Promise<void>[] = [];
        for (let by = Math.floor(ry0 / m.blockHeight); by <= Math.floor((ry1 - 1) / m.blockHeight); by++) {
          for (let bx = Math.floor(rx0 / m.blockWidth); bx <= Math.floor((rx1 - 1) / m.blockWidth); bx++) {
            mj.push(
              getMask(m, bx, by, sig).then((b) => {
                const bx0 = bx * m.blockWidth;
                const by0 = by * m.blockHeight;
                const cx0 = Math.max(rx0, bx0);
                const cx1 = Math.min(rx1, bx0 + m.blockWidth, m.width);
                const cy1 = Math.min(ry1, by0 + rowsOf(m, by));
                for (let y = Math.max(ry0, by0); y < cy1; y++) {
                  const s = (y - by0) * m.blockWidth;
                  const d = (y - ry0) * rw - rx0;
                  for (let x = cx0; x < cx1; x++) if (!b[s + x - bx0]) valid[d + x] = 0;
                }
              }),
            );
          }
        }
        await Promise.all(mj);
      }
      return { width: rw, height: rh, rgb, valid, allValid };
    };

    const source: GeoTiffSource = {
      path,
      width: main.width,
      height: main.height,
      fileBytes,
      bands: main.samples,
      crs: crs!,
      geoTransform: geoTransform!,
      gsdM,
      acquired,
      noData,
      maskKind,
      layout: { compression: main.compression, tiled: main.tiled, blockWidth: main.blockWidth, blockHeight: main.blockHeight, bitsPerSample: main.bitsPerSample, bigTiff },
      levels: levels.map(({ width, height, scaleX, scaleY }) => ({ width, height, scaleX, scaleY })),
      pixelToWgs84: toWgs,
      async readWindow(box, outWidth, outHeight, sig) {
        throwIfAborted(sig ?? signal);
        const [x0, y0, x1, y1] = box;
        const ow = outWidth ?? Math.max(1, Math.round(x1 - x0));
        const oh = outHeight ?? Math.max(1, Math.round(y1 - y0));
        const sx = (x1 - x0) / ow;
        const sy = (y1 - y0) / oh;
        let L = levels[0];
        for (const c of levels) if (c.scaleX <= sx * (1 + 1e-9) && c.scaleY <= sy * (1 + 1e-9) && c.width < L.width) L = c;
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
        const region = await readLevel(L, rx0, ry0, rx1, ry1, sig ?? signal);
        return resampleArea(region, [lx0 - rx0, ly0 - ry0, lx1 - rx0, ly1 - ry0], ow, oh);
      },
      blocksDecoded: () => cache.decodes + maskCache.decodes,
      setCacheBytes: (bytes) => cache.resize(bytes),
      async close() {
        cache.clear();
        maskCache.clear();
        await fh.close().catch(() => undefined);
        await tiff?.close();
      },
    };
    return source;
  } catch (err) {
    await fh.close().catch(() => undefined);
    await tiff?.close();
    throw err;
  }
}
