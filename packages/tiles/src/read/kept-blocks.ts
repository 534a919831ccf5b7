import { readSync, writeSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { RgbBlock } from './rgb-block';

/**
 * Full-resolution blocks a scan will read again, kept decoded in a temporary file instead of decoded twice: the
 * blocks a swath shares with the next one, and the blocks under the verifier's windows (near cells the first
 * stage scored at least its low threshold), asked for while they are still in the block cache. One fixed-size
 * record per block (RGB, one validity byte a pixel) after a table of one flag byte per block (0 not kept, 1 kept
 * with validity, 2 kept, all valid), so worker threads write into the same file and a block is looked up with a
 * one-byte read. On disk, not in memory: the page cache serves it while memory is free, and the scan's memory
 * stays the same whatever the image's size.
 */
export interface KeptGeometry {
  blocksAcross: number;
  blocksDown: number;
  blockWidth: number;
  /** Rows of a record: the block's (or a band of strips') height. */
  blockHeight: number;
}

const recordBytes = (g: KeptGeometry) => g.blockWidth * g.blockHeight * 4;

/** One flag byte, read and written synchronously: a new buffer each time was garbage for every block looked up. */
const FLAG = new Uint8Array(1);

export class KeptBlockFile {
  private constructor(
    readonly path: string,
    readonly geometry: KeptGeometry,
    private readonly fh: FileHandle,
    private readonly owner: boolean,
    private readonly limitBytes: number,
  ) {}

  /** Bytes this handle has kept (records only). */
  private keptBytes = 0;

  /** Creates (owner: removes it on close) or opens another thread's file; this handle keeps at most `limitBytes`. */
  static async open(path: string, geometry: KeptGeometry, create: boolean, limitBytes = Infinity): Promise<KeptBlockFile> {
    const fh = await open(path, create ? 'w+' : 'r+');
    // Sparse: blocks never kept take no disk and read back with flag 0.
    if (create) await fh.truncate(KeptBlockFile.tableBytes(geometry) + geometry.blocksAcross * geometry.blocksDown * recordBytes(geometry));
    return new KeptBlockFile(path, geometry, fh, create, limitBytes);
  }

  private static tableBytes(g: KeptGeometry): number {
    return Math.ceil((g.blocksAcross * g.blocksDown) / 4096) * 4096;
  }

  private offset(bx: number, by: number): number {
    const g = this.geometry;
    return KeptBlockFile.tableBytes(g) + (by * g.blocksAcross + bx) * recordBytes(g);
  }

  /**
   * Keeps decoded block (bx, by): the record first, then its flag, so a reader never sees a half-written one.
   * @throws Error past the handle's limit (the temp folder's room): the block is then decoded again when read again.
   */
  write(bx: number, by: number, block: RgbBlock): void {
    const n = block.width * block.rows;
    const len = n * (block.valid ? 4 : 3);
    if (this.keptBytes + len > this.limitBytes) throw new Error('kept blocks: over the limit');
    this.keptBytes += len;
    const at = this.offset(bx, by);
    // Synchronously, straight from the block's arrays: a copy into the page cache.
    writeSync(this.fh.fd, block.rgb, 0, n * 3, at);
    if (block.valid) writeSync(this.fh.fd, block.valid, 0, n, at + n * 3);
    FLAG[0] = block.valid ? 1 : 2;
    writeSync(this.fh.fd, FLAG, 0, 1, by * this.geometry.blocksAcross + bx);
  }

  /** Kept block (bx, by) of `width × rows` pixels, or null when it is not kept. */
  async read(bx: number, by: number, width: number, rows: number, into: (n: number) => Uint8Array): Promise<RgbBlock | null> {
    FLAG[0] = 0;
    readSync(this.fh.fd, FLAG, 0, 1, by * this.geometry.blocksAcross + bx);
    const flag = FLAG[0];
    if (flag !== 1 && flag !== 2) return null;
    const n = width * rows;
    const len = flag === 1 ? n * 4 : n * 3;
    const rec = into(len);
    // Synchronously: the page cache holds what the first stage just wrote.
    if (readSync(this.fh.fd, rec, 0, len, this.offset(bx, by)) !== len) return null;
    return { width, rows, rgb: rec.subarray(0, n * 3), valid: flag === 1 ? rec.subarray(n * 3, n * 4) : null, byteLength: len };
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    if (this.owner) await rm(this.path, { force: true });
  }
}
