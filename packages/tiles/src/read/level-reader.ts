import type { FileHandle } from 'node:fs/promises';
import { TilesError, throwIfAborted } from '../errors';
import { BlockCache } from './block-cache';
import { blockBytes, decodeJpegInto, JPEG_COMPRESSION, undoFloatPredictor, undoHorizontalPredictor, type BlockDecoder, type BlockLayout } from './codecs';
import type { IfdInfo } from './ifd-info';
import type { RgbRaster } from './resample-area';
import { ALL_VALID_MASK, decodedIsRgb, hasValidity, toMaskBlock, toRgbBlock, type RgbBlock } from './rgb-block';
import { DecodeBuffers } from './decode-buffers';
import { ones, RegionPool } from './region-pool';
import { copyRowsIntoKernel } from './wasm/kernels';
import { reduceBlock, reducedGeometry, ReducedLevelFile } from './reduced-level';
import { AWAY_COMPRESSIONS, claimFront, convertsAway, stripClaims, type BandOut, type StripDone, type StripJob } from './strip-away';
import { KeptBlockFile } from './kept-blocks';
import { scaledJpegDecoder } from './jpeg-scaled';
import { LentBytes } from './lent-bytes';

/** Reads pixel regions of one resolution level, block by block, through a bounded cache of decoded blocks. */
export interface LevelReader {
  /** Reads [rx0, rx1) × [ry0, ry1) of the level whose IFD is `info` (clipped to it), AND-ing its mask IFD `mask`. */
  readLevel(info: IfdInfo, mask: IfdInfo | undefined, rx0: number, ry0: number, rx1: number, ry1: number, signal?: AbortSignal): Promise<RgbRaster>;
  /** Hands a region from readLevel back for reuse, once nothing refers to its arrays any more. */
  release(region: RgbRaster): void;
  /** Blocks decoded so far (reduced-level tiles and kept blocks read back from their files are not decodes). */
  decodes(): number;
  /**
   * From now on, reduces every decoded block of `base` `factor`× into the file at `path` (created when
   * `create`; see reduced-level.ts), and returns the reduced level's description for readLevel, or
   * undefined when its blocks do not split into whole reduced pixels.
   */
  reduceInto(base: IfdInfo, factor: number, path: string, create: boolean): Promise<IfdInfo | undefined>;
  /** Stops feeding the reduced level from decoded blocks (it is complete); it is still read. */
  stopReducing(): void;
  /** Stops reducing and closes the reduced level's file (removing it when this reader created it). */
  dropReduced(): Promise<void>;
  /**
   * From now on, keeps decoded blocks of `base` asked for with {@link keepUnder}, the first `memoryBytes` of them in
   * memory and the rest in the file at `path` (created when `create`; see kept-blocks.ts), and reads kept blocks back
   * instead of decoding them again. At most `inFlightBytes` of them are held while being written (0: each is written
   * before the reader goes on).
   */
  keepInto(base: IfdInfo, path: string, create: boolean, limitBytes?: number, inFlightBytes?: number, memoryBytes?: number): Promise<void>;
  /** Asks that the blocks under [x0, x1) × [y0, y1) of the kept level be kept: at once while cached, else when next decoded. */
  keepUnder(x0: number, y0: number, x1: number, y1: number): void;
  /** Closes the kept blocks' file (removing it when this reader created it). */
  dropKept(): Promise<void>;
  /** From now on, hands part of each band of LZW, deflate or uncompressed strips to `d` (another thread) while this one decodes the rest; undefined: none. */
  decodeStripsWith(d: StripDecoder | undefined): void;
  setCacheBytes(bytes: number): void;
  clear(): void;
}

/** Decodes strips on another thread (node/lzw-thread.ts). */
export interface StripDecoder {
  /**
   * Waits for room for one more band (its strips and their decoded halves stay bounded); false when the thread is
   * gone (this thread then decodes the band alone). Each true is followed by one {@link release}.
   */
  acquire(): Promise<boolean>;
  /** Gives back the room of one {@link acquire}. */
  release(): void;
  /**
   * Decodes each of `strips` as `job` says (read/strip-away.ts: converted into RGB and validity when it asks), or with
   * `claims` only those it claims from the back (claimBack), from `first` on, converted into `out` when given.
   */
  decode(strips: Uint8Array[], job: StripJob, claims?: Int32Array, out?: BandOut): Promise<{ first: number; done: StripDone[] }>;
  /**
   * Bands the reader may hand over before they are asked for (absent or 0: none), the next ones below the last band
   * asked for, once every band asked for is decoded: the thread decodes them while this one works on the tile row's
   * windows (its bands all cached), instead of idling until the next row's first window asks for them. They hold no
   * room ({@link acquire}); the reader holds at most this many. Only with {@link decodeFile}.
   */
  readonly aheadBands?: number;
  /**
   * As {@link decode} with `claims`, the strips read there from the file at `path`: the `n` bytes at `lo`, strip k at
   * [starts[k], ends[k]) of them. A band handed over ahead costs this thread no read and no copy, and needs no turn
   * of its event loop (it hands them over while busy with a row's windows).
   */
  decodeFile?(file: StripsInFile, job: StripJob, claims: Int32Array, out: BandOut): Promise<{ first: number; done: StripDone[] }>;
}

/** Where a band's strips lie in a file, for the strip thread to read them itself. */
export interface StripsInFile {
  path: string;
  lo: number;
  n: number;
  starts: number[];
  ends: number[];
}

/**
 * Strips are read and decoded in bands of at least this many rows: one read and one cache entry per band
 * instead of per strip (GDAL writes 8-KB strips, one row each for wide images: thousands per window).
 */
export const STRIP_BAND_ROWS = 32;

/** Rows of a band of strips `stripRows` tall: the cache's unit on a striped file (one strip when it is 32 rows or more). */
export function stripBandRows(stripRows: number): number {
  return Math.max(1, Math.floor(STRIP_BAND_ROWS / stripRows)) * stripRows;
}

/** Strips per band of a striped IFD (1 for tiles). */
function stripsPerBand(info: IfdInfo): number {
  return info.tiled ? 1 : stripBandRows(info.blockHeight) / info.blockHeight;
}

interface Reduced {
  base: IfdInfo;
  file: ReducedLevelFile;
  info: IfdInfo;
  /** Whether decoded base blocks are still reduced into it (until the first stage is done or the disk fails). */
  feeding: boolean;
}

interface Kept {
  base: IfdInfo;
  file: KeptBlockFile;
  /** The reader's decode buffers: a block held in memory keeps its buffer (never recycled). */
  buffers: DecodeBuffers;
  /** Blocks asked for that were not cached: kept when next decoded. */
  wanted: Set<string>;
  /** Blocks this reader has kept. */
  written: Set<string>;
  /**
   * Cached blocks to keep once a write buffer is free (every one was in flight when they were asked for), by cache
   * key: written on the thread pool when one is, or here when the cache drops them first.
   */
  deferred: Map<string, [number, number]>;
}

/** What the stages of one reader share: the open file, its caches and the files of levels made on the way. */
interface ReaderContext {
  fh: FileHandle;
  path: string;
  bigEndian: boolean;
  noData?: number;
  buffers: DecodeBuffers;
  cache: BlockCache<RgbBlock>;
  maskCache: BlockCache<Uint8Array>;
  /** Strips decoded beyond one a band, and cache misses served from files rather than decoded. */
  count: { bandExtraStrips: number; notDecoded: number };
  reduced?: Reduced;
  kept?: Kept;
  strips?: StripDecoder;
  /** Shared arrays the strip thread converts a band's strips into, free for the next band shared (at most its room's worth). */
  bandOuts: BandOut[];
  /** Bands handed to the strip thread before they were asked for (readAhead), by band index in the level `aheadOf`. */
  ahead: Map<number, SharedBand>;
  aheadOf?: IfdInfo;
  /** Bands asked for and not decoded yet, and the last band asked for. */
  bandsBusy: number;
  lastBand: number;
  /** Buffers the strips of a band are read into together, lent for the band's decode (decodeBandHere). */
  lent: LentBytes;
}

/** A band shared with the strip thread (shareBand, or readAhead's): the strips' claims, its answer, the arrays it converts into. */
interface SharedBand {
  claims: Int32Array;
  reply: Promise<{ first: number; done: StripDone[] }>;
  out: BandOut;
}

const rowsOf = (info: IfdInfo, by: number) => Math.min(info.blockHeight, info.height - by * info.blockHeight);

function layoutOf(info: IfdInfo, samples: number): BlockLayout {
  return {
    blockWidth: info.blockWidth,
    blockHeight: info.blockHeight,
    samples,
    bitsPerSample: info.bitsPerSample,
    predictor: info.predictor,
    jpegTables: info.jpegTables,
  };
}

function emptyBlock(width: number, rows: number): RgbBlock {
  const n = width * rows;
  return { width, rows, rgb: new Uint8Array(n * 3), valid: new Uint8Array(n), byteLength: n * 4 };
}

const corrupt = (path: string, message: string) => new TilesError('TIANDI_E_CORRUPT_TIFF', message, path);

/** Reads `n` bytes at `off` of the file, into a new buffer or one `lent` (given back by the caller). */
async function readSpan(ctx: ReaderContext, off: number, n: number, sig?: AbortSignal, lent?: LentBytes): Promise<Uint8Array> {
  throwIfAborted(sig);
  const buf = lent ? lent.lend(n) : Buffer.allocUnsafe(n);
  const { bytesRead } = await ctx.fh.read(buf, 0, n, off);
  if (bytesRead !== n) throw corrupt(ctx.path, `文件被截断 truncated file at byte ${off + bytesRead}`);
  return buf;
}

/** The compressed bytes of block `block` (index into the IFD's offsets), or null for a block the file leaves out. */
function readBlockBytes(ctx: ReaderContext, info: IfdInfo, block: number, sig?: AbortSignal): Promise<Uint8Array | null> | null {
  const n = Number(info.byteCounts[block]);
  return n ? readSpan(ctx, Number(info.offsets[block]), n, sig) : null;
}

/** Big-endian files ("MM") store 16/32-bit samples most significant byte first. */
function swapToHostOrder(raw: Uint8Array, bits: number): Uint8Array {
  if (bits === 16) {
    if (raw.byteOffset % 2 !== 0) raw = raw.slice();
    new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength >> 1).forEach((v, i, a) => (a[i] = ((v & 0xff) << 8) | (v >> 8)));
  } else Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength - (raw.byteLength % 4)).swap32();
  return raw;
}

/** Decompresses one block (or takes it `decompressed` elsewhere) and undoes its predictor and byte order. */
async function decodeRaw(
  ctx: ReaderContext,
  info: IfdInfo,
  bytes: Uint8Array,
  layout: BlockLayout,
  rows: number,
  into?: (n: number) => Uint8Array,
  decompressed?: Promise<Uint8Array>,
): Promise<Uint8Array> {
  let raw: Uint8Array;
  try {
    raw = await (decompressed ?? info.decoder(bytes, layout, into));
  } catch (err) {
    throw corrupt(ctx.path, `数据损坏 cannot decode a block (${(err as Error).message?.slice(0, 100)}): the file is corrupt; export it again`);
  }
  // A block shorter than its rows is refused before the predictor runs over rows it does not have (found by fuzzing).
  const need = Math.ceil((layout.blockWidth * layout.samples * layout.bitsPerSample) / 8) * rows; // 1-bit masks: packed rows
  if (raw.length < need) throw corrupt(ctx.path, `数据损坏 a block decoded to ${raw.length} bytes, expected ${need}: the file is corrupt`);
  // The floating-point predictor is undone first and the bytes swapped after.
  if (ctx.bigEndian && info.bitsPerSample > 8 && info.predictor !== 3) {
    if (raw.byteOffset % 4 !== 0) raw = raw.slice();
    raw = swapToHostOrder(raw, info.bitsPerSample);
  }
  if (info.predictor === 2) undoHorizontalPredictor(raw, layout, rows);
  else if (info.predictor === 3 && info.bitsPerSample === 32) {
    raw = undoFloatPredictor(raw, layout, rows);
    // The planes come out in the file's byte order (checked against GDAL-written big-endian files).
    if (ctx.bigEndian) raw = swapToHostOrder(raw, 32);
  }
  return raw;
}

/** Refuses decoded samples shorter than `rows` full rows of the block. */
function checkSamples(ctx: ReaderContext, info: IfdInfo, samples: number, rows: number, planes: Uint8Array[]): void {
  const need = info.blockWidth * rows * samples * Math.ceil(info.bitsPerSample / 8);
  for (const p of planes) {
    if (p.length && p.length < need) throw corrupt(ctx.path, `数据损坏 a block decoded to ${p.length} bytes, expected ${need}: the file is corrupt`);
  }
}

/** Decodes tile (or planar strip) (bx, by) into RGB + validity; planes of samples the image does not show are skipped. */
async function decodeTile(ctx: ReaderContext, info: IfdInfo, bx: number, by: number, into: (n: number) => Uint8Array, sig?: AbortSignal): Promise<RgbBlock> {
  const rows = rowsOf(info, by);
  const planar = info.planar === 2;
  const layout = layoutOf(info, planar ? 1 : info.samples);
  const perPlane = info.blocksAcross * info.blocksDown;
  const needed = planar ? shownPlanes(info) : [0];
  const planes: Uint8Array[] = [];
  for (let s = 0; s < (planar ? info.samples : 1); s++) {
    if (!needed.includes(s)) {
      planes.push(new Uint8Array(0));
      continue;
    }
    const bytes = await readBlockBytes(ctx, info, s * perPlane + by * info.blocksAcross + bx, sig);
    if (!bytes) return emptyBlock(info.blockWidth, rows);
    planes.push(await decodeRaw(ctx, info, bytes, layout, rows, into));
  }
  checkSamples(ctx, info, layout.samples, rows, planes);
  return planesToRgb(ctx, info, planes, rows, into);
}

/** Decoded samples (one array, or one a plane) converted to RGB + validity. */
function planesToRgb(ctx: ReaderContext, info: IfdInfo, planes: Uint8Array[], rows: number, into: (n: number) => Uint8Array): RgbBlock {
  if (decodedIsRgb(info, planes.length, ctx.noData)) return toRgbBlock(info, planes, rows, ctx.noData);
  // Converted into one recycled buffer (RGB, then validity): arrays made anew a block were garbage once it left the
  // cache, ~150 MB at a time on a 40 000-px file in separate planes (one-row strips, a block each) with alpha.
  const n = info.blockWidth * rows;
  const withValid = hasValidity(info, ctx.noData);
  const both = into(withValid ? n * 4 : n * 3);
  return toRgbBlock(info, planes, rows, ctx.noData, { rgb: both.subarray(0, n * 3), valid: withValid ? both.subarray(n * 3, n * 4) : null });
}

/**
 * The bytes of strips [s0, s1) in one read when they lie together in the file (within twice their size), else
 * undefined; into a buffer of `lent` when given (the caller gives it back once no strip of it is read any more).
 */
async function readStripsTogether(
  ctx: ReaderContext,
  info: IfdInfo,
  s0: number,
  s1: number,
  sig?: AbortSignal,
  lent?: LentBytes,
): Promise<{ chunk: Uint8Array; lo: number } | undefined> {
  const span = stripsSpan(info, s0, s1);
  return span && { chunk: await readSpan(ctx, span.lo, span.hi - span.lo, sig, lent), lo: span.lo };
}

/** The bytes strips [s0, s1) span in the file when they lie together (within twice their size), else undefined. */
function stripsSpan(info: IfdInfo, s0: number, s1: number): { lo: number; hi: number } | undefined {
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
  return !sum || hi - lo > 2 * sum + 65536 ? undefined : { lo, hi };
}

/** Joins decoded strips, top to bottom, into one block whose RGB lives in a buffer from `into`. */
function joinStrips(parts: RgbBlock[], into: (n: number) => Uint8Array): RgbBlock {
  const w = parts[0].width;
  const rowsTotal = parts.reduce((n, b) => n + b.rows, 0);
  const rgb = into(w * rowsTotal * 3);
  const valid = parts.some((b) => b.valid) ? new Uint8Array(w * rowsTotal) : null;
  let r = 0;
  for (const b of parts) {
    rgb.set(b.rgb.subarray(0, w * b.rows * 3), w * r * 3);
    if (valid) {
      if (b.valid) valid.set(b.valid.subarray(0, w * b.rows), w * r);
      else valid.fill(1, w * r, w * (r + b.rows));
    }
    r += b.rows;
  }
  return { width: w, rows: rowsTotal, rgb, valid, byteLength: rgb.byteLength + (valid?.byteLength ?? 0) };
}

/**
 * Decodes band `band` of `perBand` consecutive strips into one block; a band shared with the strip thread (when there
 * is one) first waits for its room, before its strips are read: bands are read as the two threads take them, and
 * this thread never runs ahead on bands of its own while the strip thread waits for work.
 */
async function decodeBand(
  ctx: ReaderContext,
  info: IfdInfo,
  band: number,
  perBand: number,
  into: (n: number) => Uint8Array,
  sig?: AbortSignal,
): Promise<RgbBlock> {
  if (info.planar === 2) return decodeBandOfPlanes(ctx, info, band * perBand, Math.min(info.blocksDown, (band + 1) * perBand), into, sig);
  const d = ctx.strips && AWAY_COMPRESSIONS.has(info.compression) && perBand > 1 ? ctx.strips : undefined;
  if (!d) return decodeBandHere(ctx, info, band, perBand, into, sig);
  const pre = ctx.aheadOf === info ? ctx.ahead.get(band) : undefined;
  if (pre) ctx.ahead.delete(band);
  ctx.bandsBusy++;
  ctx.lastBand = Math.max(ctx.lastBand, band);
  try {
    // Handed over before it was asked for: the thread may have decoded all its strips already.
    if (pre) return await decodeBandHere(ctx, info, band, perBand, into, sig, d, undefined, pre);
    if (!(await d.acquire())) return await decodeBandHere(ctx, info, band, perBand, into, sig);
    let shared = false;
    try {
      return await decodeBandHere(ctx, info, band, perBand, into, sig, d, () => (shared = true));
    } finally {
      // A shared band's room is given back when the thread answers (shareBand), else now.
      if (!shared) d.release();
    }
  } finally {
    // Every band asked for decoded: the next ones go to the thread while this one works on the row's windows.
    if (--ctx.bandsBusy === 0 && d.aheadBands) readAhead(ctx, info, perBand, d);
  }
}

/**
 * Decodes the band of strips [s0, s1) in separate planes: each shown plane's strips read together and decoded into
 * the band's planes, then converted to RGB at once. Read a strip at a time, a first-stage window on a 40 000-px file of
 * one-row strips was ~800 blocks of 160 KB, under malloc's mmap threshold: glibc's heap kept what they freed (238 MB
 * into the second stage). With a strip thread, it decompresses the strips claimed from the back into the planes
 * (shared memory), as for pixel-interleaved bands. Bands with a missing strip are decoded strip by strip, as tiles
 * (an empty strip is an empty block).
 */
async function decodeBandOfPlanes(
  ctx: ReaderContext,
  info: IfdInfo,
  s0: number,
  s1: number,
  into: (n: number) => Uint8Array,
  sig?: AbortSignal,
): Promise<RgbBlock> {
  const perPlane = info.blocksAcross * info.blocksDown;
  const shown = shownPlanes(info);
  if (!shown.every((p) => sharable(info, p * perPlane + s0, p * perPlane + s1))) {
    const parts: RgbBlock[] = [];
    for (let s = s0; s < s1; s++) parts.push(await decodeTile(ctx, info, 0, s, into, sig));
    ctx.count.bandExtraStrips += parts.length - 1;
    return parts.length === 1 ? parts[0] : joinStrips(parts, into);
  }
  const place = planesPlace(info, s0, s1, shown.length);
  const d = ctx.strips && convertsAway(info, ctx.bigEndian) && (await ctx.strips.acquire()) ? ctx.strips : undefined;
  const out = d ? bandOut(ctx, Math.ceil((place.planeBytes * shown.length) / 3), false) : { rgb: into(place.planeBytes * shown.length), valid: null };
  let reply: Promise<{ first: number; done: StripDone[] }> | undefined;
  try {
    const strips: Uint8Array[] = [];
    for (const p of shown) {
      const together = await readStripsTogether(ctx, info, p * perPlane + s0, p * perPlane + s1, sig);
      for (let s = s0; s < s1; s++) strips.push(await stripBytes(ctx, info, p * perPlane + s, together, sig));
    }
    const { compression, blockWidth, bitsPerSample, predictor } = info;
    const claims = d && stripClaims(strips.length);
    const job: StripJob = {
      compression,
      expected: blockBytes(layoutOf(info, 1)),
      rows: place.rows,
      place: { offsets: place.offsets, blockWidth, bitsPerSample, predictor },
    };
    if (d) reply = d.decode(strips, job, claims, out);
    await fillPlanes(ctx, info, strips, place, out.rgb, into, claims, reply);
    const planes = Array.from({ length: info.samples }, (_, p) => {
      const j = shown.indexOf(p);
      return j < 0 ? new Uint8Array(0) : out.rgb.subarray(j * place.planeBytes, (j + 1) * place.planeBytes);
    });
    const rows = place.planeBytes / place.rowBytes;
    checkSamples(ctx, info, 1, rows, planes);
    ctx.count.bandExtraStrips += s1 - s0 - 1;
    // Converted before the shared planes are given back (once the thread has answered).
    return planesToRgb(ctx, info, planes, rows, into);
  } finally {
    if (d) {
      const free = () => {
        ctx.bandOuts.push(out);
        d.release();
      };
      if (reply) reply.then(free, free);
      else free();
    }
  }
}

/** Where each strip of band [s0, s1) goes in the band's planes (`planes` shown, one after the other), and its rows. */
function planesPlace(info: IfdInfo, s0: number, s1: number, planes: number): { offsets: number[]; rows: number[]; rowBytes: number; planeBytes: number } {
  const rowBytes = Math.ceil((info.blockWidth * info.bitsPerSample) / 8);
  const bandRows: number[] = [];
  for (let s = s0; s < s1; s++) bandRows.push(rowsOf(info, s));
  const planeBytes = rowBytes * bandRows.reduce((a, b) => a + b, 0);
  const offsets: number[] = [];
  for (let j = 0; j < planes; j++) {
    let r = 0;
    for (const n of bandRows) {
      offsets.push(j * planeBytes + r * rowBytes);
      r += n;
    }
  }
  return { offsets, rows: Array.from({ length: planes }, () => bandRows).flat(), rowBytes, planeBytes };
}

/**
 * A band's plane strips decoded into `planes` at their places: from the front here, the rest (claimed there, when a
 * strip thread shares the band) from its answer, or decoded here when it returned them undecoded or failed.
 */
async function fillPlanes(
  ctx: ReaderContext,
  info: IfdInfo,
  strips: Uint8Array[],
  place: { offsets: number[]; rows: number[]; rowBytes: number },
  planes: Uint8Array,
  into: (n: number) => Uint8Array,
  claims?: Int32Array,
  reply?: Promise<{ first: number; done: StripDone[] }>,
): Promise<void> {
  const layout = layoutOf(info, 1);
  const decodeHere = async (k: number, decompressed?: Promise<Uint8Array>) => {
    const at = planes.subarray(place.offsets[k], place.offsets[k] + place.rowBytes * place.rows[k]);
    // Straight into its place where the decoder writes into what it is given (a last, short strip's full size does not fit).
    const raw = await decodeRaw(ctx, info, strips[k], layout, place.rows[k], (m) => (m <= at.length ? at.subarray(0, m) : into(m)), decompressed);
    if (raw.buffer !== at.buffer || raw.byteOffset !== at.byteOffset) at.set(raw.subarray(0, at.length));
  };
  const n = strips.length;
  const most = reply ? Math.ceil(n * FRONT_SHARE) : n;
  let k = 0;
  for (; k < n && k < most && (!claims || claimFront(claims) >= 0); k++) await decodeHere(k);
  for (; k < n; k++) {
    const done = await reply?.then((x) => x.done[k - x.first]).catch(() => undefined);
    if (done && 'written' in done) continue;
    await decodeHere(k, done && 'raw' in done ? Promise.resolve(done.raw) : undefined);
  }
}

/** The plane indices a block in separate planes is shown from: red, green, blue and alpha when there is one. */
const shownPlanes = (info: IfdInfo): number[] => [...new Set([0, 1, 2, info.alphaSample].filter((s) => s >= 0 && s < info.samples))];

/** The bytes of strip `s`: from the chunk the band's strips were read in together, else read alone. */
async function stripBytes(
  ctx: ReaderContext,
  info: IfdInfo,
  s: number,
  together: { chunk: Uint8Array; lo: number } | undefined,
  sig?: AbortSignal,
): Promise<Uint8Array> {
  const off = Number(info.offsets[s]);
  return together ? together.chunk.subarray(off - together.lo, off - together.lo + Number(info.byteCounts[s])) : (await readBlockBytes(ctx, info, s, sig))!;
}

/** Whether band [s0, s1) has two strips or more, every one present (the bands a strip thread shares). */
function sharable(info: IfdInfo, s0: number, s1: number): boolean {
  if (s1 - s0 < 2) return false;
  for (let s = s0; s < s1; s++) if (!(Number(info.byteCounts[s]) > 0)) return false;
  return true;
}

/**
 * Hands the strip thread the bands below the last one asked for, up to its `aheadBands` held and not yet asked for:
 * it reads their strips from the file and claims them from the back, as for a band shared when asked for (this thread
 * claims what is left from the front when it asks, reading those strips then). All at once, with no read here: the
 * thread finds them queued while this one is busy with the row's windows. Bands whose strips do not lie together in
 * the file are left to be asked for.
 */
function readAhead(ctx: ReaderContext, info: IfdInfo, perBand: number, d: StripDecoder): void {
  if (!d.decodeFile || ctx.strips !== d) return;
  if (ctx.aheadOf !== info) {
    ctx.ahead.clear();
    ctx.aheadOf = info;
  }
  const bands = Math.ceil(info.blocksDown / perBand);
  for (let b = ctx.lastBand + 1; b < bands && ctx.ahead.size < (d.aheadBands ?? 0); b++) {
    if (ctx.ahead.has(b) || ctx.cache.peek(blockKey(info, 0, b, perBand))) continue;
    const s0 = b * perBand;
    const s1 = Math.min(info.blocksDown, s0 + perBand);
    const file = sharable(info, s0, s1) ? stripsInFile(ctx, info, s0, s1) : undefined;
    if (!file) return;
    const rows = Array.from({ length: s1 - s0 }, (_, k) => rowsOf(info, s0 + k));
    const claims = stripClaims(s1 - s0);
    const out = bandOut(ctx, info.blockWidth * rows.reduce((a, r) => a + r, 0), hasValidity(info, ctx.noData));
    const reply = d.decodeFile(file, stripJob(ctx, info, rows), claims, out);
    reply.catch(() => undefined); // a band never asked for: its failure is nobody's; asked for, fillBand decodes here
    ctx.ahead.set(b, { claims, reply, out });
  }
}

/** Where strips [s0, s1) lie in the file, when together (as readStripsTogether reads them), else undefined. */
function stripsInFile(ctx: ReaderContext, info: IfdInfo, s0: number, s1: number): StripsInFile | undefined {
  const span = stripsSpan(info, s0, s1);
  if (!span) return undefined;
  const { lo, hi } = span;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let s = s0; s < s1; s++) {
    starts.push(Number(info.offsets[s]) - lo);
    ends.push(Number(info.offsets[s]) - lo + Number(info.byteCounts[s]));
  }
  return { path: ctx.path, lo, n: hi - lo, starts, ends };
}

/** Decodes band `band` of `perBand` consecutive strips (read with one call when they lie together) into one block. */
async function decodeBandHere(
  ctx: ReaderContext,
  info: IfdInfo,
  band: number,
  perBand: number,
  into: (n: number) => Uint8Array,
  sig?: AbortSignal,
  away?: StripDecoder,
  onShared?: () => void,
  pre?: SharedBand,
): Promise<RgbBlock> {
  const s0 = band * perBand;
  const s1 = Math.min(info.blocksDown, s0 + perBand);
  // Its strips read only as this thread claims them (the strip thread reads its own).
  if (pre) return decodeBandInPlace(ctx, info, s0, s1, undefined, into, sig, away, onShared, pre);
  const inPlace = sharable(info, s0, s1);
  // Lent only where no strip's bytes outlive this call: converted into the band here, none handed to the strip thread.
  const lent = inPlace && !away ? ctx.lent : undefined;
  const together = await readStripsTogether(ctx, info, s0, s1, sig, lent);
  const layout = layoutOf(info, info.samples);
  // Every strip present: each is converted straight into the band's arrays (no strip-sized garbage, and no join).
  if (inPlace) {
    const block = await decodeBandInPlace(ctx, info, s0, s1, together, into, sig, away, onShared);
    if (lent && together) lent.giveBack(together.chunk);
    return block;
  }
  const parts: RgbBlock[] = [];
  for (let s = s0; s < s1; s++) {
    const rows = rowsOf(info, s);
    const n = Number(info.byteCounts[s]);
    const off = Number(info.offsets[s]);
    const bytes = !n ? null : together ? together.chunk.subarray(off - together.lo, off - together.lo + n) : await readBlockBytes(ctx, info, s, sig);
    if (!bytes) {
      parts.push(emptyBlock(info.blockWidth, rows));
      continue;
    }
    const raw = await decodeRaw(ctx, info, bytes, layout, rows, into);
    checkSamples(ctx, info, info.samples, rows, [raw]);
    parts.push(toRgbBlock(info, [raw], rows, ctx.noData));
  }
  // decodes() counts strips, not bands.
  ctx.count.bandExtraStrips += parts.length - 1;
  return parts.length === 1 ? parts[0] : joinStrips(parts, into);
}

/** Decodes strips [s0, s1), all present, into one band's RGB (from `into`) and validity, strip by strip. */
async function decodeBandInPlace(
  ctx: ReaderContext,
  info: IfdInfo,
  s0: number,
  s1: number,
  together: { chunk: Uint8Array; lo: number } | undefined,
  into: (n: number) => Uint8Array,
  sig?: AbortSignal,
  d?: StripDecoder,
  onShared?: () => void,
  pre?: SharedBand,
): Promise<RgbBlock> {
  const w = info.blockWidth;
  let rowsTotal = 0;
  for (let s = s0; s < s1; s++) rowsTotal += rowsOf(info, s);
  const rgb = into(w * rowsTotal * 3);
  const valid = hasValidity(info, ctx.noData) ? new Uint8Array(w * rowsTotal) : null;
  const bytesOf = (s: number) => stripBytes(ctx, info, s, together, sig);
  // Claimed from the front here while the strip thread claims from the back, when there is one and it has room (or
  // the band was handed to it before it was asked for: `pre`).
  const all = !pre && d ? await Promise.all(Array.from({ length: s1 - s0 }, (_, k) => bytesOf(s0 + k))) : undefined;
  const away = pre ?? (all && shareBand(d!, info, s0, s1, all, ctx, onShared));
  try {
    await fillBand(ctx, info, s0, s1, { rgb, valid }, into, away, all ?? bytesOf);
  } finally {
    // The thread's room (a band handed over early holds none) and the shared arrays are free once it has answered
    // and its strips are copied.
    const free = () => {
      // Kept for the next band only while a thread decodes them (up to its room and the bands ahead: ~58 MB at 40 000 px).
      if (ctx.strips) ctx.bandOuts.push(away!.out);
      if (!pre) d!.release();
    };
    if (away) away.reply.then(free, free);
  }
  // decodes() counts strips, not bands.
  ctx.count.bandExtraStrips += s1 - s0 - 1;
  return { width: w, rows: rowsTotal, rgb, valid, byteLength: rgb.byteLength + (valid?.byteLength ?? 0) };
}

/** A band's strips converted into `band`: from the front here, the rest (claimed there) from the strip thread's answer. */
async function fillBand(
  ctx: ReaderContext,
  info: IfdInfo,
  s0: number,
  s1: number,
  band: BandOut,
  into: (n: number) => Uint8Array,
  away: ReturnType<typeof shareBand>,
  bytes: Uint8Array[] | ((s: number) => Promise<Uint8Array>),
): Promise<void> {
  const w = info.blockWidth;
  const layout = layoutOf(info, info.samples);
  const { rgb, valid } = band;
  // 8-bit RGB decodes straight into its rows of the band (the decoders that write into what they are given): no strip-sized copy.
  const inPlace = decodedIsRgb(info, 1, ctx.noData);
  /** A strip decoded (or its bytes decoded elsewhere, `decompressed`), checked and converted here into its rows of the band. */
  const convertHere = async (stripBytes: Uint8Array, rows: number, r: number, decompressed?: Promise<Uint8Array>) => {
    const at = rgb.subarray(w * r * 3, w * (r + rows) * 3);
    const to = inPlace ? (m: number) => (m <= at.length ? at.subarray(0, m) : into(m)) : into;
    const raw = await decodeRaw(ctx, info, stripBytes, layout, rows, to, decompressed);
    checkSamples(ctx, info, info.samples, rows, [raw]);
    toRgbBlock(info, [raw], rows, ctx.noData, { rgb: at, valid: valid?.subarray(w * r, w * (r + rows)) ?? null });
  };
  let r = 0;
  let s = s0;
  const most = away ? Math.ceil((s1 - s0) * FRONT_SHARE) : s1 - s0;
  for (; s < s1 && s - s0 < most && (!away || claimFront(away.claims) >= 0); s++) {
    const rows = rowsOf(info, s);
    await convertHere(Array.isArray(bytes) ? bytes[s - s0] : await bytes(s), rows, r);
    r += rows;
  }
  for (; s < s1; s++) {
    const rows = rowsOf(info, s);
    const k = s - s0;
    const from = away!.reply.then((x) => x.done[k - x.first]);
    const done = await from.catch(() => undefined);
    if (done && 'written' in done) {
      // Converted there by the same functions, into shared arrays laid out as the band: copied in.
      rgb.set(away!.out.rgb.subarray(w * r * 3, w * (r + rows) * 3), w * r * 3);
      if (valid) valid.set(away!.out.valid!.subarray(w * r, w * (r + rows)), w * r);
    } else if (done && 'rgb' in done) {
      rgb.set(done.rgb, w * r * 3);
      if (valid && done.valid) valid.set(done.valid, w * r);
    } else {
      // Decoded there (short, or not to be converted): checked, undone and converted here, as any strip. Failed there
      // (a corrupt strip, or the thread gone): decoded here, which reports a corrupt strip as this thread alone would.
      const here = done ? undefined : Array.isArray(bytes) ? bytes[k] : await bytes(s);
      await convertHere(here ?? new Uint8Array(0), rows, r, here ? undefined : Promise.resolve((done as { raw: Uint8Array }).raw));
    }
    r += rows;
  }
}

/**
 * The most of a shared band's strips this thread decodes itself (from the front, while the strip thread has not taken
 * them from the back): the rest of the scan is this thread's alone, and the strip thread's work (LZW, the predictor,
 * the conversion) came to about seven tenths of both threads' decoding once the rest was counted (1.6-Gpx striped LZW
 * file, profiled: LZW 9.4, conversion 2.5, the rest of this thread's work 4.5 s a 10-s stretch). Claiming as many as
 * it could, this thread took half of every band and was the busier side (runnable 95 % of the first stage).
 */
export const FRONT_SHARE = 0.3;

/**
 * Hands band [s0, s1)'s strips (its room taken: decodeBand) to the strip thread, to be claimed from the back while
 * this thread claims them from the front (stripClaims), converted into shared arrays laid out as the band (no
 * garbage a strip); undefined for a band of one strip. The room and the arrays are given back once the thread has
 * answered and its strips are copied (decodeBandInPlace), so what the two threads hold stays bounded.
 */
function shareBand(
  d: StripDecoder,
  info: IfdInfo,
  s0: number,
  s1: number,
  strips: Uint8Array[],
  ctx: ReaderContext,
  onShared?: () => void,
): { claims: Int32Array; reply: Promise<{ first: number; done: StripDone[] }>; out: BandOut } | undefined {
  if (s1 - s0 < 2) return undefined;
  const claims = stripClaims(s1 - s0);
  const rows = strips.map((_, k) => rowsOf(info, s0 + k));
  const out = bandOut(ctx, info.blockWidth * rows.reduce((a, b) => a + b, 0), hasValidity(info, ctx.noData));
  const reply = d.decode(strips, stripJob(ctx, info, rows), claims, out);
  onShared?.();
  return { claims, reply, out };
}

/** Shared arrays for a band of `px` pixels: free ones large enough, else new (their number bounded by the thread's room). */
function bandOut(ctx: ReaderContext, px: number, withValid: boolean): BandOut {
  const k = ctx.bandOuts.findIndex((o) => o.rgb.length >= px * 3 && (!withValid || (o.valid?.length ?? 0) >= px));
  if (k >= 0) return ctx.bandOuts.splice(k, 1)[0];
  const shared = (n: number) => new Uint8Array(new SharedArrayBuffer(n));
  return { rgb: shared(px * 3), valid: withValid ? shared(px) : null };
}

/** How the strip thread decodes strips of `rows` rows of this IFD: converted there too when convertsAway allows. */
function stripJob(ctx: ReaderContext, info: IfdInfo, rows: number[]): StripJob {
  const { blockWidth, samples, bitsPerSample, photometric, alphaSample, compression, predictor, sampleMax } = info;
  const job: StripJob = { compression, expected: blockBytes(layoutOf(info, samples)) };
  if (!convertsAway(info, ctx.bigEndian)) return job;
  return {
    ...job,
    rows,
    convert: { info: { blockWidth, samples, bitsPerSample, photometric, alphaSample, compression, sampleMax }, predictor, noData: ctx.noData },
  };
}

/** A disk that fails (full /tmp) only costs speed: tiles not written are made again when read. */
function writeReduced(_ctx: ReaderContext, r: Reduced, bx: number, by: number, tile: RgbBlock): Promise<void> {
  return r.file.write(bx, by, tile).catch(() => {
    r.feeding = false;
  });
}

/** The block cache's key of block (bx, by) of a level read in blocks of `perBand` strips (1: tiles). */
const blockKey = (info: IfdInfo, bx: number, by: number, perBand: number) => (perBand > 1 ? `${info.index}:b${by}` : `${info.index}:${bx}:${by}`);

/** Keeps a block in the kept file; past its limit, or on a failing disk, the block is decoded again when read again. */
function keepBlock(k: Kept, bx: number, by: number, block: RgbBlock): void {
  const key = `${bx}:${by}`;
  try {
    const where = k.file.keep(bx, by, block);
    if (where) k.written.add(key);
    if (where === 'held') k.buffers.disown(block);
  } catch {
    // Not kept: read again, it is decoded again.
  }
  k.wanted.delete(key);
}

/** Keeps a cached block now if a write buffer is free, else once one is (or when the cache drops it). */
function keepCached(k: Kept, bx: number, by: number, block: RgbBlock, cacheKey: string): void {
  if (!k.file.full()) keepBlock(k, bx, by, block);
  else {
    k.deferred.set(cacheKey, [bx, by]);
    k.wanted.delete(`${bx}:${by}`);
  }
}

/** Keeps deferred blocks still cached while write buffers are free (told when one is). */
function keepDeferred(ctx: ReaderContext, k: Kept): void {
  for (const [cacheKey, [bx, by]] of k.deferred) {
    if (k.file.full()) return;
    const block = ctx.cache.peek(cacheKey);
    if (!block) continue; // still being decoded: kept when a buffer is next free, or when dropped
    k.deferred.delete(cacheKey);
    keepBlock(k, bx, by, block);
  }
}

/** A block leaves the cache: a deferred one is kept first (written here when no buffer is free), then its buffer recycled. */
function onEvicted(ctx: ReaderContext, block: RgbBlock, cacheKey: string): void {
  const k = ctx.kept;
  const at = k?.deferred.get(cacheKey);
  if (k && at) {
    k.deferred.delete(cacheKey);
    keepBlock(k, at[0], at[1], block);
  }
  ctx.buffers.evicted(block);
}

/** What a freshly decoded block of the base level feeds: the reduced level being built, and the kept blocks when asked for. */
async function afterDecode(ctx: ReaderContext, info: IfdInfo, bx: number, by: number, block: RgbBlock): Promise<void> {
  const r = ctx.reduced;
  if (r?.feeding && info === r.base) await writeReduced(ctx, r, bx, by, reduceBlock(r.file.geometry, block));
  const k = ctx.kept;
  if (k && info === k.base && k.wanted.has(`${bx}:${by}`)) keepCached(k, bx, by, block, blockKey(info, bx, by, stripsPerBand(info)));
}

/** Block (bx, by) of a level read in blocks of `perBand` strips (1: tiles): from the cache, the kept file, or decoded. */
function levelBlock(ctx: ReaderContext, info: IfdInfo, bx: number, by: number, perBand: number, sig?: AbortSignal): Promise<RgbBlock> {
  const r = ctx.reduced;
  if (r && info === r.info) return reducedTile(ctx, r, bx, by, sig);
  return ctx.cache.get(blockKey(info, bx, by, perBand), async () => {
    const { into, settle } = ctx.buffers.forBlock();
    const k = ctx.kept;
    if (k && info === k.base) {
      const rows = Math.min(info.blockHeight * perBand, info.height - by * info.blockHeight * perBand);
      const kept = await k.file.read(bx, by, info.blockWidth, rows, into);
      if (kept) {
        ctx.count.notDecoded++;
        return settle(allValidUnmarked(kept));
      }
    }
    const block = settle(allValidUnmarked(perBand > 1 ? await decodeBand(ctx, info, by, perBand, into, sig) : await decodeTile(ctx, info, bx, by, into, sig)));
    await afterDecode(ctx, info, bx, by, block);
    return block;
  });
}

/**
 * A block with validity (alpha, nodata) whose pixels are all valid, as a block without: the regions it is copied into
 * stay all-valid, so they are copied and resampled by the fast paths (WebAssembly), not pixel by pixel with validity
 * checks (19 % of the scanning thread on a striped file with alpha). Before settling, so its validity array is recycled.
 */
function allValidUnmarked(b: RgbBlock): RgbBlock {
  // Its byteLength stays: the validity often shares the RGB's buffer (decodeTile), which the cache and the held
  // blocks' budget must go on counting whole (counted as RGB alone, a tiled file with alpha held 90 MB more).
  if (b.valid && b.valid.indexOf(0) < 0) b.valid = null;
  return b;
}

/** A reduced tile: read back from its file, or made from its base block when no thread has written it yet. */
function reducedTile(ctx: ReaderContext, r: Reduced, bx: number, by: number, sig?: AbortSignal): Promise<RgbBlock> {
  return ctx.cache.get(`${r.info.index}:${bx}:${by}`, async () => {
    ctx.count.notDecoded++;
    const kept = await r.file.read(bx, by);
    if (kept) return kept;
    const b = await levelBlock(ctx, r.base, bx, by, stripsPerBand(r.base), sig);
    const t = reduceBlock(r.file.geometry, b);
    await writeReduced(ctx, r, bx, by, t);
    return t;
  });
}

/** A decoded mask block (1 valid, 0 not). */
function maskBlock(ctx: ReaderContext, info: IfdInfo, bx: number, by: number, sig?: AbortSignal): Promise<Uint8Array> {
  return ctx.maskCache.get(`${info.index}:${bx}:${by}`, async () => {
    const rows = rowsOf(info, by);
    const bytes = await readBlockBytes(ctx, info, by * info.blocksAcross + bx, sig);
    if (!bytes) return new Uint8Array(Math.ceil(info.blockWidth / 8) * rows);
    return toMaskBlock(info, await decodeRaw(ctx, info, bytes, layoutOf(info, 1), rows), rows);
  });
}

/** A region being assembled: RGB, and validity that stays the shared all-ones array until a block or mask says otherwise. */
interface Region {
  x0: number;
  y0: number;
  width: number;
  height: number;
  rgb: Uint8Array;
  valid: Uint8Array;
  allValid: boolean;
}

/** Copies the part of block `b` (whose top-left level pixel is bx0, by0) inside the region into it. */
function placeBlock(g: Region, b: RgbBlock, bx0: number, by0: number, levelWidth: number): void {
  const { x0: rx0, y0: ry0, width: rw } = g;
  const cx0 = Math.max(rx0, bx0);
  const cx1 = Math.min(rx0 + rw, bx0 + b.width, levelWidth);
  const cy0 = Math.max(ry0, by0);
  const cy1 = Math.min(ry0 + g.height, by0 + b.rows);
  const n = cx1 - cx0;
  if (b.valid && g.allValid) {
    g.valid = new Uint8Array(rw * g.height).fill(1);
    g.allValid = false;
  }
  if (n === rw && n === b.width) {
    // Whole rows on both sides (strip bands): one copy.
    const s = (cy0 - by0) * n;
    g.rgb.set(b.rgb.subarray(s * 3, (s + n * (cy1 - cy0)) * 3), (cy0 - ry0) * rw * 3);
    if (b.valid) g.valid.set(b.valid.subarray(s, s + n * (cy1 - cy0)), (cy0 - ry0) * rw);
    return;
  }
  const rows = cy1 - cy0;
  const s0 = (cy0 - by0) * b.width + (cx0 - bx0);
  const d0 = (cy0 - ry0) * rw + (cx0 - rx0);
  if (!b.valid && n > 0 && rows > 0 && copyRowsIntoKernel(g.rgb, d0 * 3, rw * 3, b.rgb, s0 * 3, b.width * 3, n * 3, rows)) return;
  // Row by row with Buffer#copy over one view of each array: a subarray a row (131 000 rows at 64 Mpx) fed the
  // garbage collector.
  const from = asBuffer(b.rgb);
  const to = asBuffer(g.rgb);
  const fromValid = b.valid && asBuffer(b.valid);
  const toValid = b.valid && asBuffer(g.valid);
  for (let y = cy0; y < cy1; y++) {
    const s = (y - by0) * b.width + (cx0 - bx0);
    const d = (y - ry0) * rw + (cx0 - rx0);
    from.copy(to, d * 3, s * 3, (s + n) * 3);
    if (fromValid) fromValid.copy(toValid!, d, s, s + n);
  }
}

/** A Buffer over a typed array's bytes (no copy). */
const asBuffer = (a: Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Clears the validity of region pixels that mask block `b` (mask block bx, by) marks invalid. */
function applyMaskBlock(g: Region, m: IfdInfo, b: Uint8Array, bx: number, by: number): void {
  if (b === ALL_VALID_MASK) return;
  const bx0 = bx * m.blockWidth;
  const by0 = by * m.blockHeight;
  const cx0 = Math.max(g.x0, bx0);
  const cx1 = Math.min(g.x0 + g.width, bx0 + m.blockWidth, m.width);
  const cy1 = Math.min(g.y0 + g.height, by0 + rowsOf(m, by));
  const stride = Math.ceil(m.blockWidth / 8);
  for (let y = Math.max(g.y0, by0); y < cy1; y++) {
    const s = (y - by0) * stride;
    const d = (y - g.y0) * g.width - g.x0;
    for (let x = cx0; x < cx1; x++) {
      const i = x - bx0;
      if (!((b[s + (i >> 3)] >> (7 - (i & 7))) & 1)) g.valid[d + x] = 0;
    }
  }
}

/** Block index ranges [b0, b1] covering [p0, p1) in blocks of `size`. */
const blockSpan = (p0: number, p1: number, size: number): [number, number] => [Math.floor(p0 / size), Math.floor((p1 - 1) / size)];

/** Fills region `g` from the level's blocks, fetched concurrently (JPEG blocks decode on the thread pool meanwhile). */
async function fillFromBlocks(ctx: ReaderContext, info: IfdInfo, g: Region, sig?: AbortSignal): Promise<void> {
  const perBand = stripsPerBand(info);
  const bh = info.blockHeight * perBand;
  const [by0, by1] = blockSpan(g.y0, g.y0 + g.height, bh);
  const [bx0, bx1] = blockSpan(g.x0, g.x0 + g.width, info.blockWidth);
  const blocks: [number, number][] = [];
  for (let by = by0; by <= by1; by++) for (let bx = bx0; bx <= bx1; bx++) blocks.push([bx, by]);
  let next = 0;
  // Each copied in its promise's continuation (decode-buffers.ts counts on it), blocksInFlight at a time.
  const take = async () => {
    while (next < blocks.length) {
      const [bx, by] = blocks[next++];
      placeBlock(g, await levelBlock(ctx, info, bx, by, perBand, sig), bx * info.blockWidth, by * bh, info.width);
    }
  };
  await Promise.all(Array.from({ length: Math.min(blocksInFlight(info.blockWidth * bh), blocks.length) }, take));
}

/**
 * Blocks a region decodes at once: up to 64 (a tiled window is ~25-50 blocks), fewer as blocks grow, so that their
 * pixels and what their decoding holds (read bytes, a band's planes) stay near 32 MB. A first-stage window over a
 * 40 000-px striped file is ~32 bands of 5 MB each: all at once, their planes alone (separate planes) took ~160 MB.
 */
const blocksInFlight = (pixels: number) => Math.max(2, Math.min(64, Math.floor(BYTES_IN_FLIGHT / (pixels * 4))));
const BYTES_IN_FLIGHT = 32 << 20;

/** AND-s the mask IFD `m` into the region's validity. */
async function applyMask(ctx: ReaderContext, m: IfdInfo, g: Region, sig?: AbortSignal): Promise<void> {
  const [by0, by1] = blockSpan(g.y0, g.y0 + g.height, m.blockHeight);
  const [bx0, bx1] = blockSpan(g.x0, g.x0 + g.width, m.blockWidth);
  const jobs: Promise<void>[] = [];
  for (let by = by0; by <= by1; by++) {
    for (let bx = bx0; bx <= bx1; bx++) jobs.push(maskBlock(ctx, m, bx, by, sig).then((b) => applyMaskBlock(g, m, b, bx, by)));
  }
  await Promise.all(jobs);
}

/** Asks for the blocks of the kept level under a pixel box: kept at once while cached, else when next decoded. */
function keepBlocksUnder(ctx: ReaderContext, k: Kept, x0: number, y0: number, x1: number, y1: number): void {
  const info = k.base;
  const perBand = stripsPerBand(info);
  const bh = info.blockHeight * perBand;
  const [by0, by1] = blockSpan(Math.max(0, y0), Math.min(info.height, y1), bh);
  const [bx0, bx1] = blockSpan(Math.max(0, x0), Math.min(info.width, x1), info.blockWidth);
  for (let by = by0; by <= by1; by++) {
    for (let bx = bx0; bx <= bx1; bx++) {
      const key = `${bx}:${by}`;
      if (k.written.has(key)) continue;
      const cacheKey = blockKey(info, bx, by, perBand);
      const cached = ctx.cache.peek(cacheKey);
      if (cached) keepCached(k, bx, by, cached, cacheKey);
      else k.wanted.add(key);
    }
  }
}

/** Opens the reduced level `factor`× of `base` in `file` and returns it, or undefined when blocks do not split into whole reduced pixels. */
async function openReduced(base: IfdInfo, factor: number, file: string, create: boolean): Promise<Reduced | undefined> {
  const perBand = stripsPerBand(base);
  const g = reducedGeometry(
    { width: base.width, height: base.height, blockWidth: base.blockWidth, blockHeight: base.blockHeight * perBand, tiled: base.tiled },
    factor,
  );
  if (!g) return undefined;
  const f = await ReducedLevelFile.open(file, g, create);
  const info: IfdInfo = {
    ...base,
    index: 100_000 + base.index,
    width: g.width,
    height: g.height,
    tiled: true,
    planar: 1,
    blockWidth: g.tileWidth,
    blockHeight: g.tileHeight,
    blocksAcross: g.blocksAcross,
    blocksDown: g.blocksDown,
  };
  return { base, file: f, info, feeding: true };
}

/** Opens the kept blocks' file of `base` (blocks, or bands of strips as they are read). */
async function openKept(
  base: IfdInfo,
  buffers: DecodeBuffers,
  file: string,
  create: boolean,
  limitBytes?: number,
  inFlightBytes?: number,
  memoryBytes?: number,
): Promise<Kept> {
  const bh = base.blockHeight * stripsPerBand(base);
  const geometry = { blocksAcross: base.blocksAcross, blocksDown: Math.ceil(base.height / bh), blockWidth: base.blockWidth, blockHeight: bh };
  return {
    base,
    buffers,
    file: await KeptBlockFile.open(file, geometry, create, limitBytes, inFlightBytes, memoryBytes),
    wanted: new Set(),
    written: new Set(),
    deferred: new Map(),
  };
}

/** The reader state of one open file: its handle, decode buffers and block caches. */
function readerContext(o: { fh: FileHandle; path: string; bigEndian: boolean; noData?: number; cacheBytes: number }, buffers: DecodeBuffers): ReaderContext {
  const ctx: ReaderContext = {
    fh: o.fh,
    path: o.path,
    bigEndian: o.bigEndian,
    noData: o.noData,
    buffers,
    cache: new BlockCache<RgbBlock>(o.cacheBytes, (block, key) => onEvicted(ctx, block, key)),
    maskCache: new BlockCache<Uint8Array>(MASK_CACHE_BYTES),
    count: { bandExtraStrips: 0, notDecoded: 0 },
    bandOuts: [],
    ahead: new Map(),
    bandsBusy: 0,
    lastBand: -1,
    lent: new LentBytes(),
  };
  return ctx;
}

/** Closes the kept blocks' file once the deferred blocks still cached are kept and every write is done. */
async function closeKept(ctx: ReaderContext, k: Kept): Promise<void> {
  for (const [cacheKey, [bx, by]] of k.deferred) {
    const block = ctx.cache.peek(cacheKey);
    if (block) keepBlock(k, bx, by, block);
  }
  k.deferred.clear();
  await k.file.close();
}

/** Reads the pixel box [rx0, rx1) × [ry0, ry1) of level `info` into a pooled region, masked by `m` when the level has one. */
async function readRegion(
  ctx: ReaderContext,
  regions: RegionPool,
  info: IfdInfo,
  m: IfdInfo | undefined,
  box: { rx0: number; ry0: number; rx1: number; ry1: number },
  sig?: AbortSignal,
): Promise<RgbRaster> {
  ctx.buffers.reuseQuarantined();
  const width = box.rx1 - box.rx0;
  const height = box.ry1 - box.ry0;
  const g: Region = {
    x0: box.rx0,
    y0: box.ry0,
    width,
    height,
    rgb: regions.acquire(width * height * 3),
    valid: m ? new Uint8Array(width * height).fill(1) : ones(width * height),
    allValid: !m,
  };
  await fillFromBlocks(ctx, info, g, sig);
  if (m) await applyMask(ctx, m, g, sig);
  // Blocks with invalid pixels elsewhere (a strip band's no-data edge) but none here: resampled by the fast paths.
  return { width, height, rgb: g.rgb, valid: g.valid, allValid: g.allValid || g.valid.indexOf(0) < 0 };
}

/** The decoder of a JPEG level read `k`× smaller (jpeg-scaled.ts): blocks of the size the layout says, 8-bit RGB. */
function scaledJpegBlocks(k: number): BlockDecoder {
  return async (bytes, layout, into) => {
    const d = scaledJpegDecoder();
    if (!d) throw new Error('the scaled JPEG decoder is not available');
    // Width and channels are checked on the header (decodeJpegInto); a tile must also be whole.
    const { data, width, height } = await decodeJpegInto(d, bytes, layout, k, into);
    if (height < layout.blockHeight) throw new Error(`JPEG block is ${width}×${height}×3 at 1/${k}, expected ${layout.blockWidth}×${layout.blockHeight}×3`);
    return data;
  };
}

/**
 * The IFD of `base` read `k`× smaller (2, 4 or 8) straight from its JPEG blocks' DCT coefficients: the same blocks
 * (offsets, tables), each decoded to a block `k`× smaller. Undefined unless `base` is 8-bit RGB JPEG in tiles that
 * split into whole scaled pixels over an image that does too (no pixel of the level mixes image and tile padding),
 * and the decoder loads.
 */
export function scaledJpegIfd(base: IfdInfo, k: number): IfdInfo | undefined {
  const ok =
    base.compression === JPEG_COMPRESSION &&
    base.tiled &&
    base.planar === 1 &&
    base.samples === 3 &&
    base.bitsPerSample === 8 &&
    base.alphaSample < 0 &&
    [2, 4, 8].includes(k) &&
    base.blockWidth % (8 * k) === 0 &&
    base.blockHeight % (8 * k) === 0 &&
    base.width % k === 0 &&
    base.height % k === 0;
  if (!ok || !scaledJpegDecoder()) return undefined;
  return {
    ...base,
    index: 200_000 + base.index,
    width: base.width / k,
    height: base.height / k,
    blockWidth: base.blockWidth / k,
    blockHeight: base.blockHeight / k,
    decoder: scaledJpegBlocks(k),
  };
}

/**
 * Decoded mask blocks a reader keeps: packed bits (toMaskBlock), so 4 MB hold what 32 MB of one byte a pixel did (a
 * first-stage swath's mask tiles, or a window's one-row mask strips at 40 000 px), and all-valid ones hold nothing.
 */
const MASK_CACHE_BYTES = 4 << 20;

/** Creates the block reader of one open file. */
export function createLevelReader(o: { fh: FileHandle; path: string; bigEndian: boolean; noData?: number; cacheBytes: number }): LevelReader {
  const buffers = new DecodeBuffers();
  const regions = new RegionPool();
  const ctx = readerContext(o, buffers);
  const readLevel = (info: IfdInfo, m: IfdInfo | undefined, rx0: number, ry0: number, rx1: number, ry1: number, sig?: AbortSignal): Promise<RgbRaster> =>
    readRegion(ctx, regions, info, m, { rx0, ry0, rx1, ry1 }, sig);
  const dropReduced = async () => {
    const r = ctx.reduced;
    ctx.reduced = undefined;
    await r?.file.close();
  };
  return {
    readLevel,
    release: (r) => regions.release(r.rgb),
    decodes: () => ctx.cache.decodes - ctx.count.notDecoded + ctx.maskCache.decodes + ctx.count.bandExtraStrips,
    reduceInto: async (base, factor, file, create) => {
      await dropReduced();
      ctx.reduced = await openReduced(base, factor, file, create);
      return ctx.reduced?.info;
    },
    stopReducing: () => {
      if (ctx.reduced) ctx.reduced.feeding = false;
    },
    dropReduced,
    keepInto: async (base, file, create, limitBytes, inFlightBytes, memoryBytes) => {
      const old = ctx.kept;
      ctx.kept = undefined;
      if (old) await closeKept(ctx, old);
      const k = await openKept(base, buffers, file, create, limitBytes, inFlightBytes, memoryBytes);
      k.file.onRoom = () => keepDeferred(ctx, k);
      ctx.kept = k;
    },
    keepUnder: (x0, y0, x1, y1) => {
      if (ctx.kept) keepBlocksUnder(ctx, ctx.kept, x0, y0, x1, y1);
    },
    decodeStripsWith: (d) => {
      ctx.strips = d;
      // Bands handed to the thread before and never asked for: decoded here if asked for later. Without a thread, its
      // shared arrays go too.
      ctx.ahead.clear();
      ctx.lastBand = -1;
      if (!d) ctx.bandOuts.length = 0;
    },
    dropKept: async () => {
      const k = ctx.kept;
      ctx.kept = undefined;
      if (k) await closeKept(ctx, k);
    },
    setCacheBytes: (bytes) => {
      ctx.cache.resize(bytes);
      // No cache, no reuse: let the recycled buffers go too.
      if (bytes === 0) {
        buffers.drop();
        regions.clear();
      }
    },
    clear: () => {
      ctx.cache.clear();
      ctx.maskCache.clear();
      buffers.drop();
      regions.clear();
    },
  };
}
