import { undoHorizontalPredictor, ZSTD_COMPRESSION, zstdDecodeSync } from './codecs';
import type { IfdInfo } from './ifd-info';
import { inflateInto } from './inflate-into';
import { lzwDecode } from './lzw-decode';
import { hasValidity, toRgbBlock } from './rgb-block';

/**
 * Strips decoded away from the thread scanning a striped file (node/lzw-thread.ts): decompressed, their predictor
 * undone and converted to RGB and validity there, by the same functions the scanning thread would run, so that
 * thread only copies them into their band.
 */

/** Compressions a strip thread decodes: none, LZW, deflate (both tags), ZSTD (the thread loads its decoder first). */
export const AWAY_COMPRESSIONS: ReadonlySet<number> = new Set([1, 5, 8, 32946, ZSTD_COMPRESSION]);

/** What a strip is converted with: its IFD's block layout and colour, predictor (1 or 2) and nodata value. */
export interface StripConvert {
  info: Pick<IfdInfo, 'blockWidth' | 'samples' | 'bitsPerSample' | 'photometric' | 'alphaSample' | 'compression' | 'sampleMax'>;
  predictor: number;
  noData?: number;
}

/** A job of strips: how they are compressed, the bytes a whole strip decodes to, and each strip's rows. */
export interface StripJob {
  compression: number;
  expected: number;
  /** Rows of each strip (needed to convert it). */
  rows?: number[];
  /** Absent: the strips come back as decoded, before the predictor. */
  convert?: StripConvert;
  /** Strips in separate planes: strip k's samples, predictor undone, copied into `out.rgb` at byte `offsets[k]` (its rows of its plane's array in the band). */
  place?: StripPlace;
}

/** Where the strips of a band in separate planes go (converted to RGB by the scanning thread, all planes at once). */
export interface StripPlace {
  offsets: number[];
  blockWidth: number;
  bitsPerSample: number;
  predictor: number;
}

/**
 * A strip converted: into its band's place in the job's shared `out` arrays (`written`), or into arrays of its own;
 * or (not to be converted, or decoded short: refused by the scanning thread) as decoded.
 */
export type StripDone = { written: true } | { rgb: Uint8Array; valid: Uint8Array | null } | { raw: Uint8Array };

/** A band's pixels in shared memory, laid out as the band's own (rows of its strips, top to bottom): RGB, and validity when the IFD has it. */
export interface BandOut {
  rgb: Uint8Array;
  valid: Uint8Array | null;
}

/**
 * Decompresses one strip: what the scanning thread's decoder for `compression` gives, into `scratch` (reused from
 * strip to strip: a strip's decoded bytes become garbage once converted, megabytes a band).
 */
function decompress(bytes: Uint8Array, compression: number, expected: number, scratch: (n: number) => Uint8Array): Uint8Array {
  if (compression === 5) return lzwDecode(bytes, expected, scratch);
  if (compression === 8 || compression === 32946) return inflateInto(bytes, scratch(expected));
  if (compression === ZSTD_COMPRESSION) return zstdDecodeSync(bytes, expected);
  if (compression === 1) return bytes;
  throw new Error(`compression ${compression} is not decoded on the strip thread`);
}

/**
 * Strip `k` of a job, decoded and, when asked and whole, converted (level-reader's decodeRaw then toRgbBlock): into
 * `out` when given, at the rows of the strips before it. `bytes` may be changed (the predictor undone in place).
 */
export function decodeStrip(bytes: Uint8Array, job: StripJob, k: number, scratch: (n: number) => Uint8Array, out?: BandOut): StripDone {
  const raw = decompress(bytes, job.compression, job.expected, scratch);
  const c = job.convert;
  const rows = job.rows?.[k];
  if (job.place && out && rows !== undefined) return placeStrip(raw, job.place, k, rows, out);
  if (!c || rows === undefined) return { raw: raw.slice() };
  const { blockWidth: w, samples, bitsPerSample: bps } = c.info;
  if (raw.length < Math.ceil((w * samples * bps) / 8) * rows) return { raw: raw.slice() };
  if (c.predictor === 2) undoHorizontalPredictor(raw, { blockWidth: w, blockHeight: rows, samples, bitsPerSample: bps, predictor: 2 }, rows);
  const info = c.info as IfdInfo;
  if (out) {
    const r0 = job.rows!.slice(0, k).reduce((a, b) => a + b, 0);
    const valid = hasValidity(info, c.noData) ? out.valid!.subarray(w * r0, w * (r0 + rows)) : null;
    toRgbBlock(info, [raw], rows, c.noData, { rgb: out.rgb.subarray(w * r0 * 3, w * (r0 + rows) * 3), valid });
    return { written: true };
  }
  const b = toRgbBlock(info, [raw], rows, c.noData);
  // Already RGB: a view of the scratch buffer, which the next strip overwrites.
  return { rgb: b.rgb.buffer === raw.buffer ? b.rgb.slice() : b.rgb, valid: b.valid };
}

/** A strip of one plane, its predictor undone, copied to its place in the band's planes (or returned as decoded when short). */
function placeStrip(raw: Uint8Array, p: StripPlace, k: number, rows: number, out: BandOut): StripDone {
  const need = Math.ceil((p.blockWidth * p.bitsPerSample) / 8) * rows;
  if (raw.length < need) return { raw: raw.slice() };
  if (p.predictor === 2)
    undoHorizontalPredictor(raw, { blockWidth: p.blockWidth, blockHeight: rows, samples: 1, bitsPerSample: p.bitsPerSample, predictor: 2 }, rows);
  out.rgb.set(raw.subarray(0, need), p.offsets[k]);
  return { written: true };
}

/**
 * A band's strips claimed from both ends at once, in shared memory: the scanning thread takes them from the front
 * ({@link claimFront}), the strip thread from the back ({@link claimBack}), each one at a time, so they meet where
 * their speeds put them: the scanning thread decodes more of a band when it has nothing else to do, the strip thread
 * all of a band read ahead while the scanning thread scores tiles. The next front strip and the end of the
 * unclaimed ones, packed in one word so a claim is one compare-and-swap.
 */
export function stripClaims(n: number): Int32Array {
  const a = new Int32Array(new SharedArrayBuffer(4));
  a[0] = n << 16;
  return a;
}

/** The next strip from the front, or -1 when none is left. */
export const claimFront = (a: Int32Array): number => claim(a, false);

/** The next strip from the back, or -1 when none is left. */
export const claimBack = (a: Int32Array): number => claim(a, true);

/** The next unclaimed strip from one end, taken with one compare-and-swap (retried when the other thread took one meanwhile). */
function claim(a: Int32Array, fromBack: boolean): number {
  for (;;) {
    const v = Atomics.load(a, 0);
    const f = v & 0xffff;
    const b = v >>> 16;
    if (f >= b) return -1;
    const next = fromBack ? ((b - 1) << 16) | f : (b << 16) | (f + 1);
    if (Atomics.compareExchange(a, 0, v, next) === v) return fromBack ? b - 1 : f;
  }
}

/** Whether a strip of this IFD may be converted away: predictor 1 or 2, and samples in the host's byte order. */
export function convertsAway(info: IfdInfo, bigEndian: boolean): boolean {
  return AWAY_COMPRESSIONS.has(info.compression) && (info.predictor === 1 || info.predictor === 2) && !(bigEndian && info.bitsPerSample > 8);
}
