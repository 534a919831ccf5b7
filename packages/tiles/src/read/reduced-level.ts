import { readSync, writeSync } from 'node:fs';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { boxDownsample } from './box-downsample';
import { boxRgb8, kernelBuffer } from './wasm/kernels';
import type { RgbBlock } from './rgb-block';
import { ones } from './region-pool';
import { removeTempFile } from './remove-temp-file';

/**
 * A level the file lacks (no internal overview that coarse), reduced by a whole factor from a finer one block
 * by block as the finer blocks are decoded anyway, and kept in a temporary file: a scan whose first stage
 * decodes every full-resolution block then lets its second stage read the reduced level without decoding any
 * block again. The file holds one fixed-size record per base block (RGB, validity, a written flag), so worker
 * threads write their blocks' records into the same file, and a record not written yet is made on demand.
 * On disk, not in memory: 1.6 Gpx at 2× is 1.6 GB, far over a scan's memory budget, and the page cache
 * serves it as fast while memory is free.
 */
export interface ReducedGeometry {
  factor: number;
  /** Base blocks (tiles, or bands of strips) per row and column, and their size in base pixels. */
  blocksAcross: number;
  blocksDown: number;
  baseBlockWidth: number;
  baseBlockHeight: number;
  /** The reduced level: floor(base / factor) pixels a side, in tiles of baseBlock / factor. */
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
}

/** Where a level reduced by `factor` from a base level read in `blockWidth × blockHeight` blocks lies, or undefined when its blocks do not split into whole reduced pixels. */
export function reducedGeometry(
  base: { width: number; height: number; blockWidth: number; blockHeight: number; tiled: boolean },
  factor: number,
): ReducedGeometry | undefined {
  if (!Number.isInteger(factor) || factor < 2) return undefined;
  if (base.blockHeight % factor !== 0 || (base.tiled && base.blockWidth % factor !== 0)) return undefined;
  const width = Math.floor(base.width / factor);
  const height = Math.floor(base.height / factor);
  if (width < 1 || height < 1) return undefined;
  return {
    factor,
    blocksAcross: Math.ceil(base.width / base.blockWidth),
    blocksDown: Math.ceil(base.height / base.blockHeight),
    baseBlockWidth: base.blockWidth,
    baseBlockHeight: base.blockHeight,
    width,
    height,
    tileWidth: Math.floor(base.blockWidth / factor),
    tileHeight: base.blockHeight / factor,
  };
}

/** Bytes of one record: RGB, one validity byte a pixel, and a flag that is 1 once the record is written. */
const recordBytes = (g: ReducedGeometry) => g.tileWidth * g.tileHeight * 4 + 1;

/** A WebAssembly buffer blocks are copied into for the SIMD box average (the JavaScript one took ~4 ms a 512² block, a fifth of the first stage). */
let scratch: Uint8Array | undefined;

/** Box-averages one decoded base block into its reduced tile (the same bytes as box-averaging the whole level: cells never straddle blocks). */
export function reduceBlock(g: ReducedGeometry, block: RgbBlock): RgbBlock {
  const rows = Math.floor(block.rows / g.factor);
  const n = g.tileWidth * g.tileHeight;
  const rgb = new Uint8Array(n * 3);
  const bytes = block.width * block.rows * 3;
  if (rows > 0 && !block.valid && (g.factor === 2 || g.factor === 3)) {
    if (!scratch || scratch.length < bytes) scratch = kernelBuffer(Math.max(bytes, 1 << 20));
    if (scratch) {
      scratch.set(block.rgb.subarray(0, bytes));
      const fast = boxRgb8(scratch, block.width, 0, 0, g.factor, g.tileWidth, rows);
      if (fast) {
        rgb.set(fast);
        return { width: g.tileWidth, rows: g.tileHeight, rgb, valid: null, byteLength: n * 4 };
      }
    }
  }
  // Validity only where the block has some (a block valid everywhere reduces to a tile valid everywhere).
  const valid = block.valid ? new Uint8Array(n) : null;
  if (rows > 0) {
    const r = boxDownsample(
      { width: block.width, height: block.rows, rgb: block.rgb, valid: block.valid ?? new Uint8Array(0), allValid: !block.valid },
      0,
      0,
      g.factor,
      g.tileWidth,
      rows,
    );
    rgb.set(r.rgb);
    valid?.set(r.valid);
  }
  return { width: g.tileWidth, rows: g.tileHeight, rgb, valid, byteLength: n * 4 };
}

/** The temporary file of one reduced level: created by the scan, written by every thread that decodes base blocks. */
export class ReducedLevelFile {
  private constructor(
    readonly path: string,
    readonly geometry: ReducedGeometry,
    private readonly fh: FileHandle,
    private readonly owner: boolean,
  ) {}

  /** Creates (owner: removes it on close) or opens another thread's file. */
  static async open(path: string, geometry: ReducedGeometry, create: boolean): Promise<ReducedLevelFile> {
    const fh = await open(path, create ? 'w+' : 'r+');
    // Sparse: records never written read back as zeros (flag 0).
    if (create) await fh.truncate(geometry.blocksAcross * geometry.blocksDown * recordBytes(geometry));
    return new ReducedLevelFile(path, geometry, fh, create);
  }

  /** Stores the reduced tile of base block (bx, by). */
  async write(bx: number, by: number, tile: RgbBlock): Promise<void> {
    const g = this.geometry;
    const n = g.tileWidth * g.tileHeight;
    const at = (by * g.blocksAcross + bx) * recordBytes(g);
    // Synchronously, straight from the tile's arrays: a copy into the page cache (~0.1 ms), where the promise API
    // cost the scanning thread ~1 ms a record, and a record assembled first fed the garbage collector.
    writeSync(this.fh.fd, tile.rgb, 0, n * 3, at);
    writeSync(this.fh.fd, tile.valid ?? ones(n), 0, n, at + n * 3);
    writeSync(this.fh.fd, Uint8Array.of(tile.valid ? 1 : 2), 0, 1, at + n * 4);
  }

  /** The reduced tile of base block (bx, by), or null when no thread has written it yet. */
  async read(bx: number, by: number, into?: (n: number) => Uint8Array): Promise<RgbBlock | null> {
    const g = this.geometry;
    const n = g.tileWidth * g.tileHeight;
    const len = recordBytes(g);
    const rec = into ? into(len) : new Uint8Array(len);
    // Synchronously: the page cache holds what the first stage just wrote.
    const bytesRead = readSync(this.fh.fd, rec, 0, len, (by * g.blocksAcross + bx) * len);
    const flag = bytesRead === len ? rec[n * 4] : 0;
    if (flag !== 1 && flag !== 2) return null;
    const rgb = rec.subarray(0, n * 3);
    return { width: g.tileWidth, rows: g.tileHeight, rgb, valid: flag === 1 ? rec.subarray(n * 3, n * 4) : null, byteLength: len };
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    if (this.owner) await removeTempFile(this.path);
  }
}

/** Removes reduced levels (`tiandi-level-<pid>-…`) left in `dir` by scans that were killed: their process is gone. */
export async function removeOrphanLevels(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^tiandi-level-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') await removeTempFile(join(dir, name));
    }
  }
}
