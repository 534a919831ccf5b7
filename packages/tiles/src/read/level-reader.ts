import type { FileHandle } from 'node:fs/promises';
import { TilesError, throwIfAborted } from '../errors';
import { BlockCache } from './block-cache';
import { undoFloatPredictor, undoHorizontalPredictor, type BlockLayout } from './codecs';
import type { IfdInfo } from './ifd-info';
import type { RgbRaster } from './resample-area';
import { toMaskBlock, toRgbBlock, type RgbBlock } from './rgb-block';
import { DecodeBuffers } from './decode-buffers';
import { ones, RegionPool } from './region-pool';
import { reduceBlock, reducedGeometry, ReducedLevelFile } from './reduced-level';

/** Reads pixel regions of one resolution level, block by block, through a bounded cache of decoded blocks. */
export interface LevelReader {
  /** Reads [rx0, rx1) × [ry0, ry1) of the level whose IFD is `info` (clipped to it), AND-ing its mask IFD `mask`. */
  readLevel(info: IfdInfo, mask: IfdInfo | undefined, rx0: number, ry0: number, rx1: number, ry1: number, signal?: AbortSignal): Promise<RgbRaster>;
  /** Hands a region from readLevel back for reuse, once nothing refers to its arrays any more. */
  release(region: RgbRaster): void;
  /** Blocks decoded so far (reduced-level tiles read back from their file are not decodes). */
  decodes(): number;
  /**
   * From now on, reduces every decoded block of `base` `factor`× into the file at `path` (created when
   * `create`; see reduced-level.ts), and returns the reduced level's description for readLevel, or
   * undefined when its blocks do not split into whole reduced pixels.
   */
  reduceInto(base: IfdInfo, factor: number, path: string, create: boolean): Promise<IfdInfo | undefined>;
  /** Stops reducing and closes the reduced level's file (removing it when this reader created it). */
  dropReduced(): Promise<void>;
  setCacheBytes(bytes: number): void;
  clear(): void;
}

/**
 * Strips are read and decoded in bands of at least this many rows: one read and one cache entry per band
 * instead of per strip (GDAL writes 8-KB strips, one row each for wide images: thousands per window).
 */
export const STRIP_BAND_ROWS = 32;

/** Strips per band of a striped, pixel-interleaved IFD (1 for tiles and planar-separate strips). */
function stripsPerBand(info: IfdInfo): number {
  if (info.tiled || info.planar === 2) return 1;
  return Math.max(1, Math.floor(STRIP_BAND_ROWS / info.blockHeight));
}

/** Creates the block reader of one open file. */
export function createLevelReader(o: { fh: FileHandle; path: string; bigEndian: boolean; noData?: number; cacheBytes: number }): LevelReader {
  const { fh, path, bigEndian, noData, cacheBytes } = o;
  const buffers = new DecodeBuffers();
  const regions = new RegionPool();
  const cache = new BlockCache<RgbBlock>(cacheBytes, (block) => buffers.evicted(block));
  const maskCache = new BlockCache<Uint8Array>(32 * 1024 * 1024);
  let bandExtraStrips = 0;
  let reduced: { base: IfdInfo; file: ReducedLevelFile; info: IfdInfo } | undefined;
  let reducedReads = 0;
  // A disk that fails (full /tmp) only costs speed: tiles not written are made again when read.
  const writeReduced = (r: NonNullable<typeof reduced>, bx: number, by: number, t: RgbBlock) =>
    r.file.write(bx, by, t).catch(() => {
      if (reduced === r) reduced = { ...r, base: { ...r.base } };
    });
  /** Writes the reduced tile of a freshly decoded block of the level being reduced. */
  const keepReduced = async (info: IfdInfo, bx: number, by: number, block: RgbBlock): Promise<void> => {
    if (reduced && info === reduced.base) await writeReduced(reduced, bx, by, reduceBlock(reduced.file.geometry, block));
  };

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
  const decodeRaw = async (info: IfdInfo, bytes: Uint8Array, layout: BlockLayout, rows: number, into?: (n: number) => Uint8Array): Promise<Uint8Array> => {
    let raw: Uint8Array;
    try {
      raw = await info.decoder(bytes, layout, into);
    } catch (err) {
      throw new TilesError('TIANDI_E_CORRUPT_TIFF', `数据损坏 cannot decode a block (${(err as Error).message?.slice(0, 100)}): the file is corrupt; export it again`, path);
    }
    // A block shorter than its rows is refused before the predictor runs over rows it does not have (found by fuzzing).
    const need = Math.ceil((layout.blockWidth * layout.samples * layout.bitsPerSample) / 8) * rows; // 1-bit masks: packed rows
    if (raw.length < need) throw new TilesError('TIANDI_E_CORRUPT_TIFF', `数据损坏 a block decoded to ${raw.length} bytes, expected ${need}: the file is corrupt`, path);
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
  // A reduced tile: read back from the file, or made from its base block when no thread has written it yet.
  const getReduced = (r: NonNullable<typeof reduced>, bx: number, by: number, sig?: AbortSignal): Promise<RgbBlock> =>
    cache.get(`${r.info.index}:${bx}:${by}`, async () => {
      reducedReads++;
      const kept = await r.file.read(bx, by);
      if (kept) return kept;
      const perBand = stripsPerBand(r.base);
      const b = await (perBand > 1 ? getBand(r.base, by, perBand, sig) : getBlock(r.base, bx, by, sig));
      const t = reduceBlock(r.file.geometry, b);
      await writeReduced(r, bx, by, t);
      return t;
    });
  const getBlock = (info: IfdInfo, bx: number, by: number, sig?: AbortSignal): Promise<RgbBlock> =>
    reduced && info === reduced.info ? getReduced(reduced, bx, by, sig) : cache.get(`${info.index}:${bx}:${by}`, async () => {
      const { into, settle } = buffers.forBlock();
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
        planes.push(await decodeRaw(info, bytes, layout, rows, into));
      }
      const need = info.blockWidth * rows * layout.samples * Math.ceil(info.bitsPerSample / 8);
      for (const p of planes) {
        if (p.length && p.length < need) {
          throw new TilesError('TIANDI_E_CORRUPT_TIFF', `数据损坏 a block decoded to ${p.length} bytes, expected ${need}: the file is corrupt`, path);
        }
      }
      const block = settle(toRgbBlock(info, planes, rows, noData));
      await keepReduced(info, bx, by, block);
      return block;
    });
  // A band of consecutive strips: read with one call when they lie together in the file, decoded strip by
  // strip and joined into one block.
  const getBand = (info: IfdInfo, band: number, perBand: number, sig?: AbortSignal): Promise<RgbBlock> =>
    cache.get(`${info.index}:b${band}`, async () => {
      const { into, settle } = buffers.forBlock();
      const s0 = band * perBand;
      const s1 = Math.min(info.blocksDown, s0 + perBand);
      let lo = Infinity;
      let hi = 0;
      let sum = 0;
      for (let s = s0; s < s1; s++) {
        const n = Number(info.byteCounts[s]);
        if (!n) continue;
        const off = Number(info.offsets[s]);
        lo = Math.min(lo, off);
        hi = Math.max(hi, off + n);
        sum += n;
      }
      let chunk: Buffer | undefined;
      if (sum && hi - lo <= 2 * sum + 65536) {
        throwIfAborted(sig);
        chunk = Buffer.allocUnsafe(hi - lo);
        const { bytesRead } = await fh.read(chunk, 0, hi - lo, lo);
        if (bytesRead !== hi - lo) throw new TilesError('TIANDI_E_CORRUPT_TIFF', `文件被截断 truncated file at byte ${lo + bytesRead}`, path);
      }
      const layout: BlockLayout = {
        blockWidth: info.blockWidth,
        blockHeight: info.blockHeight,
        samples: info.samples,
        bitsPerSample: info.bitsPerSample,
        predictor: info.predictor,
        jpegTables: info.jpegTables,
      };
      const parts: RgbBlock[] = [];
      let rowsTotal = 0;
      for (let s = s0; s < s1; s++) {
        const rows = rowsOf(info, s);
        rowsTotal += rows;
        const n = Number(info.byteCounts[s]);
        const off = Number(info.offsets[s]);
        const bytes = !n ? null : chunk ? chunk.subarray(off - lo, off - lo + n) : await readBytes(info, s, sig);
        if (!bytes) {
          const m = info.blockWidth * rows;
          parts.push({ width: info.blockWidth, rows, rgb: new Uint8Array(m * 3), valid: new Uint8Array(m), byteLength: m * 4 });
          continue;
        }
        const raw = await decodeRaw(info, bytes, layout, rows, into);
        const need = info.blockWidth * rows * info.samples * Math.ceil(info.bitsPerSample / 8);
        if (raw.length < need) {
          throw new TilesError('TIANDI_E_CORRUPT_TIFF', `数据损坏 a block decoded to ${raw.length} bytes, expected ${need}: the file is corrupt`, path);
        }
        parts.push(toRgbBlock(info, [raw], rows, noData));
      }
      // decodes() counts strips, not bands.
      bandExtraStrips += parts.length - 1;
      if (parts.length === 1) {
        const one = settle(parts[0]);
        await keepReduced(info, 0, band, one);
        return one;
      }
      const w = info.blockWidth;
      const rgb = into(w * rowsTotal * 3);
      const anyMask = parts.some((b) => b.valid);
      const valid = anyMask ? new Uint8Array(w * rowsTotal) : null;
      let r = 0;
      for (const b of parts) {
        rgb.set(b.rgb.subarray(0, w * b.rows * 3), w * r * 3);
        if (valid) {
          if (b.valid) valid.set(b.valid.subarray(0, w * b.rows), w * r);
          else valid.fill(1, w * r, w * (r + b.rows));
        }
        r += b.rows;
      }
      const joined = settle({ width: w, rows: rowsTotal, rgb, valid, byteLength: rgb.byteLength + (valid?.byteLength ?? 0) });
      await keepReduced(info, 0, band, joined);
      return joined;
    });
  const getMask = (info: IfdInfo, bx: number, by: number, sig?: AbortSignal): Promise<Uint8Array> =>
    maskCache.get(`${info.index}:${bx}:${by}`, async () => {
      const rows = rowsOf(info, by);
      const bytes = await readBytes(info, by * info.blocksAcross + bx, sig);
      if (!bytes) return new Uint8Array(info.blockWidth * rows);
      const layout: BlockLayout = { blockWidth: info.blockWidth, blockHeight: info.blockHeight, samples: 1, bitsPerSample: info.bitsPerSample, predictor: info.predictor };
      return toMaskBlock(info, await decodeRaw(info, bytes, layout, rows), rows);
    });

  const readLevel = async (info: IfdInfo, m: IfdInfo | undefined, rx0: number, ry0: number, rx1: number, ry1: number, sig?: AbortSignal): Promise<RgbRaster> => {
    buffers.reuseQuarantined();
    const rw = rx1 - rx0;
    const rh = ry1 - ry0;
    const rgb = regions.acquire(rw * rh * 3);
    // Validity stays the shared all-ones array until a block or a mask says otherwise.
    let valid = m ? new Uint8Array(rw * rh).fill(1) : ones(rw * rh);
    let allValid = !m;
    const jobs: Promise<void>[] = [];
    const perBand = stripsPerBand(info);
    const bh = info.blockHeight * perBand;
    for (let by = Math.floor(ry0 / bh); by <= Math.floor((ry1 - 1) / bh); by++) {
      for (let bx = Math.floor(rx0 / info.blockWidth); bx <= Math.floor((rx1 - 1) / info.blockWidth); bx++) {
        jobs.push(
          (perBand > 1 ? getBand(info, by, perBand, sig) : getBlock(info, bx, by, sig)).then((b) => {
            const bx0 = bx * info.blockWidth;
            const by0 = by * bh;
            const cx0 = Math.max(rx0, bx0);
            const cx1 = Math.min(rx1, bx0 + info.blockWidth, info.width);
            const cy0 = Math.max(ry0, by0);
            const cy1 = Math.min(ry1, by0 + b.rows);
            const n = cx1 - cx0;
            if (b.valid && allValid) {
              valid = new Uint8Array(rw * rh).fill(1);
              allValid = false;
            }
            if (n === rw && n === b.width) {
              // Whole rows on both sides (strip bands): one copy.
              const s = (cy0 - by0) * n;
              rgb.set(b.rgb.subarray(s * 3, (s + n * (cy1 - cy0)) * 3), (cy0 - ry0) * rw * 3);
              if (b.valid) valid.set(b.valid.subarray(s, s + n * (cy1 - cy0)), (cy0 - ry0) * rw);
              return;
            }
            for (let y = cy0; y < cy1; y++) {
              const s = (y - by0) * b.width + (cx0 - bx0);
              const d = (y - ry0) * rw + (cx0 - rx0);
              rgb.set(b.rgb.subarray(s * 3, (s + n) * 3), d * 3);
              if (b.valid) valid.set(b.valid.subarray(s, s + n), d);
            }
          }),
        );
      }
    }
    await Promise.all(jobs);
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

  return {
    readLevel,
    release: (r) => regions.release(r.rgb),
    decodes: () => cache.decodes - reducedReads + maskCache.decodes + bandExtraStrips,
    reduceInto: async (base, factor, file, create) => {
      const perBand = stripsPerBand(base);
      const g = reducedGeometry({ width: base.width, height: base.height, blockWidth: base.blockWidth, blockHeight: base.blockHeight * perBand, tiled: base.tiled }, factor);
      if (!g) return undefined;
      await reduced?.file.close();
      const f = await ReducedLevelFile.open(file, g, create);
      const info: IfdInfo = {
        ...base, index: 100_000 + base.index, width: g.width, height: g.height, tiled: true, planar: 1,
        blockWidth: g.tileWidth, blockHeight: g.tileHeight, blocksAcross: g.blocksAcross, blocksDown: g.blocksDown,
      };
      reduced = { base, file: f, info };
      return info;
    },
    setCacheBytes: (bytes) => {
      cache.resize(bytes);
      // No cache, no reuse: let the recycled buffers go too.
      if (bytes === 0) {
        buffers.drop();
        regions.clear();
      }
    },
    dropReduced: async () => {
      const r = reduced;
      reduced = undefined;
      await r?.file.close();
    },
    clear: () => {
      cache.clear();
      maskCache.clear();
      buffers.drop();
      regions.clear();
    },
  };
}
