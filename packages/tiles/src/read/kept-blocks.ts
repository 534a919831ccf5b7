import { readSync, write, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { removeTempFile } from './remove-temp-file';
import type { RgbBlock } from './rgb-block';

/**
 * Full-resolution blocks a scan will read again, kept decoded instead of decoded twice: the blocks a swath shares
 * with the next one, and the blocks under the verifier's windows (near cells the first stage scored at least its low
 * threshold), asked for while they are still in the block cache. First in memory, as decoded, up to the bytes the
 * scan's memory plan leaves this handle (`memoryBytes`: the thread that runs the second stage; on a 64-Mpx file
 * writing them out and reading them back cost that thread ~130 ms of its ~1.6 s); past that in a temporary file, so
 * the scan's memory stays the same whatever the image's size. The file holds one fixed-size record per block (RGB,
 * one validity byte a pixel) after a table of one flag byte per block (0 not kept, 1 kept with validity, 2 kept, all
 * valid), so worker threads write into the same file and a block is looked up with a one-byte read.
 */
export interface KeptGeometry {
  blocksAcross: number;
  blocksDown: number;
  blockWidth: number;
  /** Rows of a record: the block's (or a band of strips') height. */
  blockHeight: number;
}

const recordBytes = (g: KeptGeometry) => g.blockWidth * g.blockHeight * 4;

/** One flag byte, read synchronously: a new buffer each time was garbage for every block looked up. */
const FLAG = new Uint8Array(1);

/** Flag bytes written after a record, never changed: an asynchronous write reads its buffer later. */
const FLAG_VALID = Uint8Array.of(1);
const FLAG_ALL_VALID = Uint8Array.of(2);

/** Writes `buf` at `position` on the thread pool; rejects on an error or a short write. */
const writeAt = (fd: number, buf: Uint8Array, position: number) =>
  new Promise<void>((resolve, reject) =>
    write(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : n !== buf.length ? reject(new Error('kept blocks: short write')) : resolve())),
  );

/** A record being written: its bytes (a copy in a write buffer) and shape, served to readers until its flag is on disk. */
interface Pending {
  rec: Uint8Array;
  width: number;
  rows: number;
  hasValid: boolean;
}

/** Where {@link KeptBlockFile.keep} put a block: held in memory as it is (its arrays must then not be reused), or in the file. */
export type KeptWhere = 'held' | 'written';

export class KeptBlockFile {
  private constructor(
    readonly path: string,
    readonly geometry: KeptGeometry,
    private readonly fh: FileHandle,
    private readonly owner: boolean,
    private readonly limitBytes: number,
    inFlightBytes: number,
    private readonly memoryBytes: number,
  ) {
    this.maxBuffers = Math.floor(inFlightBytes / recordBytes(geometry));
  }

  /** Blocks held in memory, by block index, and their bytes. */
  private readonly held = new Map<number, RgbBlock>();
  private heldBytes = 0;

  /** Bytes this handle has kept (records only). */
  private keptBytes = 0;
  /** Write buffers (a record each) this handle may hold: the bytes in flight the memory plan allows. */
  private readonly maxBuffers: number;
  private buffersMade = 0;
  private readonly freeBuffers: Uint8Array[] = [];
  /** Records written on the thread pool and not yet flagged, by block index. */
  private readonly pending = new Map<number, Pending>();
  private readonly writes = new Set<Promise<void>>();
  /** Told when a write buffer is free again (the reader then writes blocks it deferred). */
  onRoom?: () => void;

  /**
   * Creates (owner: removes it on close) or opens another thread's file; this handle holds up to `memoryBytes` of
   * blocks in memory (read back only through it), keeps at most `limitBytes` in the file, and holds at most
   * `inFlightBytes` of records being written (0: every record written before keep returns).
   */
  static async open(path: string, geometry: KeptGeometry, create: boolean, limitBytes = Infinity, inFlightBytes = 0, memoryBytes = 0): Promise<KeptBlockFile> {
    const fh = await open(path, create ? 'w+' : 'r+');
    // Sparse: blocks never kept take no disk and read back with flag 0.
    if (create) await fh.truncate(KeptBlockFile.tableBytes(geometry) + geometry.blocksAcross * geometry.blocksDown * recordBytes(geometry));
    return new KeptBlockFile(path, geometry, fh, create, limitBytes, inFlightBytes, memoryBytes);
  }

  private static tableBytes(g: KeptGeometry): number {
    return Math.ceil((g.blocksAcross * g.blocksDown) / 4096) * 4096;
  }

  private offset(bx: number, by: number): number {
    const g = this.geometry;
    return KeptBlockFile.tableBytes(g) + (by * g.blocksAcross + bx) * recordBytes(g);
  }

  /**
   * Keeps decoded block (bx, by): held in memory while this handle's `memoryBytes` allow ('held': the block and its
   * arrays are kept as they are, and must not be reused or changed), else in the file: the record first, then its
   * flag, so a reader never sees a half-written one. The record is copied into a free write buffer and written on
   * the thread pool (page-cache copies were ~2.4 s of each worker's ~22 s on a 1.6-Gpx file); with every buffer in
   * flight it is written here and now, so the bytes held stay within the bound. A written block's arrays may be
   * reused as soon as this returns.
   * @returns false past the handle's limit (the temp folder's room): the block is then decoded again when read again.
   */
  keep(bx: number, by: number, block: RgbBlock): KeptWhere | false {
    const index = by * this.geometry.blocksAcross + bx;
    if (this.heldBytes + block.byteLength <= this.memoryBytes) {
      this.held.set(index, block);
      this.heldBytes += block.byteLength;
      return 'held';
    }
    const n = block.width * block.rows;
    const len = n * (block.valid ? 4 : 3);
    if (this.keptBytes + len > this.limitBytes) return false;
    this.keptBytes += len;
    const at = this.offset(bx, by);
    const buf = this.takeBuffer();
    if (!buf) {
      writeSync(this.fh.fd, block.rgb, 0, n * 3, at);
      if (block.valid) writeSync(this.fh.fd, block.valid, 0, n, at + n * 3);
      writeSync(this.fh.fd, block.valid ? FLAG_VALID : FLAG_ALL_VALID, 0, 1, index);
      return 'written';
    }
    const rec = buf.subarray(0, len);
    rec.set(block.rgb.subarray(0, n * 3));
    if (block.valid) rec.set(block.valid.subarray(0, n), n * 3);
    this.pending.set(index, { rec, width: block.width, rows: block.rows, hasValid: !!block.valid });
    const w = writeAt(this.fh.fd, rec, at)
      .then(() => writeAt(this.fh.fd, block.valid ? FLAG_VALID : FLAG_ALL_VALID, index))
      // A failed write leaves the flag 0: the block is decoded again when read again.
      .catch(() => undefined)
      .then(() => {
        this.pending.delete(index);
        this.freeBuffers.push(buf);
        this.writes.delete(w);
        this.onRoom?.();
      });
    this.writes.add(w);
    return 'written';
  }

  /**
   * Whether every write buffer is in flight and memory holds no further block: {@link keep} would then write here
   * and now. Never with no buffers allowed (every block is written at once).
   */
  full(): boolean {
    if (this.heldBytes + recordBytes(this.geometry) <= this.memoryBytes) return false;
    return this.maxBuffers > 0 && this.freeBuffers.length === 0 && this.buffersMade >= this.maxBuffers;
  }

  /** A free write buffer, made while the bound allows, or undefined when all are in flight. */
  private takeBuffer(): Uint8Array | undefined {
    const free = this.freeBuffers.pop();
    if (free || this.buffersMade >= this.maxBuffers) return free;
    this.buffersMade++;
    return new Uint8Array(recordBytes(this.geometry));
  }

  /** Kept block (bx, by) of `width × rows` pixels, or null when it is not kept: one held in memory is the block itself (no copy). */
  async read(bx: number, by: number, width: number, rows: number, into: (n: number) => Uint8Array): Promise<RgbBlock | null> {
    const n = width * rows;
    const h = this.held.get(by * this.geometry.blocksAcross + bx);
    if (h && h.width === width && h.rows === rows) return h;
    const p = this.pending.get(by * this.geometry.blocksAcross + bx);
    if (p && p.width === width && p.rows === rows) {
      // Still being written: from its write buffer.
      const rec = into(p.rec.length);
      rec.set(p.rec);
      return { width, rows, rgb: rec.subarray(0, n * 3), valid: p.hasValid ? rec.subarray(n * 3, n * 4) : null, byteLength: p.rec.length };
    }
    FLAG[0] = 0;
    readSync(this.fh.fd, FLAG, 0, 1, by * this.geometry.blocksAcross + bx);
    const flag = FLAG[0];
    if (flag !== 1 && flag !== 2) return null;
    const len = flag === 1 ? n * 4 : n * 3;
    const rec = into(len);
    // Synchronously: the page cache holds what the first stage just wrote.
    if (readSync(this.fh.fd, rec, 0, len, this.offset(bx, by)) !== len) return null;
    return { width, rows, rgb: rec.subarray(0, n * 3), valid: flag === 1 ? rec.subarray(n * 3, n * 4) : null, byteLength: len };
  }

  /** Waits for the records being written (another handle then reads them from the file). */
  async flush(): Promise<void> {
    while (this.writes.size) await Promise.all([...this.writes]);
  }

  async close(): Promise<void> {
    this.held.clear();
    this.heldBytes = 0;
    await this.flush();
    await this.fh.close().catch(() => undefined);
    if (this.owner) await removeTempFile(this.path);
  }
}
