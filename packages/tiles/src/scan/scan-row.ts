import type { ModelCard } from '../model/model-card';
import { writeTileTensorFrom } from '../model/tile-tensor';
import type { RgbRaster } from '../read/resample-area';
import type { ScanPlan } from './scan-plan';
import { blockQuality, judgeBlock, type BlockQuality, type QualityReason } from '../quality/block-quality';

/** Reads a window of the source (full-resolution pixel box) resampled to `w × h` working pixels. */
export type WindowReader = (box: readonly [number, number, number, number], w: number, h: number) => Promise<RgbRaster>;
/** Scores `n` packed tiles. */
export type BatchInfer = (batch: Float32Array, n: number) => Promise<Float32Array[]>;

/** What scanning one row of tiles yields. */
export interface RowResult {
  ty: number;
  /** The tile columns [tx0, tx1) scanned (a swath of the row, or all of it). */
  tx0: number;
  tx1: number;
  /** Scored tiles: column index and scores (outCells² values). */
  tiles: { tx: number; scores: Float32Array }[];
  tilesInferred: number;
  tilesSkipped: number;
  /** Heatmap-grid validity flags for rows [heatRow0, heatRow0 + heatRows) (full heatmap width). */
  heatRow0: number;
  heatRows: number;
  heatValid: Uint8Array;
  /** Footprint-grid validity flags for rows [footRow0, footRow0 + footRows) (full footprint width). */
  footRow0: number;
  footRows: number;
  footValid: Uint8Array;
  /** Poor quality blocks of this row (tile column, the block's working-pixel box, reasons, measures); empty without plan.quality. */
  poorBlocks: PoorBlock[];
  /** Quality blocks judged in this row (poor or not). */
  blocksJudged: number;
}

/** A block of the quality map judged poor: where (working pixels), why, and what was measured. */
export interface PoorBlock {
  box: [number, number, number, number];
  reasons: QualityReason[];
  quality: BlockQuality;
}

/**
 * Judges the quality blocks of tiles [tx0, tx1) in a segment window — each tile's stride block, the last tile of a
 * row or column taking the rest of the image — and marks the footprint cells whose centre lies in a poor block 2.
 */
function judgeSegment(
  win: RgbRaster,
  plan: ScanPlan,
  ty: number,
  tx0: number,
  tx1: number,
  footRow0: number,
  footRows: number,
  footValid: Uint8Array,
  poor: PoorBlock[],
): number {
  const T = plan.tileStride;
  const F = plan.footCellWork;
  const by0 = ty * T;
  const by1 = ty === plan.tilesDown - 1 ? Math.min(plan.workHeight, by0 + win.height) : by0 + T;
  let judged = 0;
  for (let tx = tx0; tx < tx1; tx++) {
    const bx0 = tx * T;
    const bx1 = tx === plan.tilesAcross - 1 ? Math.min(plan.workWidth, tx0 * T + win.width) : bx0 + T;
    const ox = tx0 * T;
    const q = blockQuality(win.rgb, win.valid, win.width, bx0 - ox, 0, Math.min(bx1 - ox, win.width), Math.min(by1 - by0, win.height));
    if (q.nodataShare >= 1) continue;
    judged++;
    const reasons = judgeBlock(q, plan.quality);
    if (!reasons.length) continue;
    poor.push({ box: [bx0, by0, bx1, by1], reasons, quality: q });
    for (let r = 0; r < footRows; r++) {
      const cyMid = (footRow0 + r + 0.5) * F;
      if (cyMid < by0 || cyMid >= by1) continue;
      for (let cx = Math.floor(bx0 / F); cx < Math.min(plan.footWidth, Math.ceil(bx1 / F)); cx++) {
        const cxMid = (cx + 0.5) * F;
        const k = r * plan.footWidth + cx;
        if (cxMid >= bx0 && cxMid < bx1 && footValid[k]) footValid[k] = 2;
      }
    }
  }
  return judged;
}

/** Counts valid working pixels of a cell box inside a window; returns whether at least half the in-image part is valid. */
function cellValid(win: RgbRaster, wx0: number, wy0: number, x0: number, y0: number, x1: number, y1: number, plan: ScanPlan): boolean {
  const cx1 = Math.min(x1, plan.workWidth);
  const cy1 = Math.min(y1, plan.workHeight);
  let n = 0;
  let v = 0;
  for (let y = y0; y < cy1; y++) {
    const r = (y - wy0) * win.width;
    for (let x = x0; x < cx1; x++) {
      n++;
      v += win.valid[r + x - wx0];
    }
  }
  return n > 0 && v * 2 >= n;
}

/** The source box and working size of the window holding tiles [tx0, tx1) of tile row `ty`. */
export function segmentWindow(plan: ScanPlan, ty: number, tx0: number, tx1: number): [readonly [number, number, number, number], number, number] {
  const S = plan.tileSize;
  const T = plan.tileStride;
  const wx0 = tx0 * T;
  const y0w = ty * T;
  const bw = (tx1 - 1 - tx0) * T + S;
  return [[wx0 * plan.fx, y0w * plan.fy, (wx0 + bw) * plan.fx, (y0w + S) * plan.fy], bw, S];
}

/**
 * The tile batches of the row being scanned, reused by the next row: new ones a row (6 MB) fed the garbage collector.
 * In shared memory when the model reads them there (`shared`), which saves this thread a copy of each (6 MB).
 */
const spareBatches: (Float32Array | undefined)[] = [undefined, undefined];
function batchBuffer(k: number, n: number, shared: boolean): Float32Array {
  const b = spareBatches[k];
  if (b?.length !== n || b.buffer instanceof SharedArrayBuffer !== shared) {
    spareBatches[k] = shared ? new Float32Array(new SharedArrayBuffer(n * Float32Array.BYTES_PER_ELEMENT)) : new Float32Array(n);
  }
  return spareBatches[k]!;
}

/**
 * A row's tiles batched for inference in two buffers taken in turn: one is filled while the other is scored, so
 * this thread writes the next tensors (and takes in the next window's blocks) while the model runs on its own
 * thread, instead of waiting for every batch. A buffer is refilled only once its batch is scored (an `infer` may
 * read it until then); scores come back in batch order, as when each batch was awaited.
 */
class TileBatches {
  readonly pending: number[] = [];
  private readonly buffers: Float32Array[];
  private readonly scoring: (Promise<unknown> | undefined)[] = [undefined, undefined];
  private readonly scored: Promise<RowResult['tiles']>[] = [];
  private slot = 0;

  constructor(
    private readonly infer: BatchInfer,
    length: number,
    shared: boolean,
    private readonly onScored?: (tiles: RowResult['tiles']) => void,
  ) {
    this.buffers = [batchBuffer(0, length, shared), batchBuffer(1, length, shared)];
  }

  /** The buffer tiles are written into now (slot `pending.length`). */
  get batch(): Float32Array {
    return this.buffers[this.slot];
  }

  /** Sends the pending tiles to be scored, and waits until the other buffer may be filled. */
  async flush(): Promise<void> {
    if (!this.pending.length) return;
    const txs = this.pending.splice(0);
    const p = this.infer(this.buffers[this.slot], txs.length).then((scores) => {
      const tiles = txs.map((tx, i) => ({ tx, scores: scores[i] }));
      this.onScored?.(tiles);
      return tiles;
    });
    p.catch(() => undefined); // its error is thrown where it is awaited
    this.scored.push(p);
    this.scoring[this.slot] = p;
    this.slot = 1 - this.slot;
    await this.scoring[this.slot];
  }

  /** Every tile's scores, in the order the tiles were added. */
  async tiles(): Promise<RowResult['tiles']> {
    await this.flush();
    return (await Promise.all(this.scored)).flat();
  }
}

/** What a row gathers from its segment windows besides the tiles it batches: validity, quality, skipped tiles. */
type RowState = Pick<RowResult, 'heatValid' | 'footRow0' | 'footRows' | 'footValid' | 'poorBlocks' | 'blocksJudged'> & {
  y0w: number;
  /** A segmentation grid aligned with the tile origin: heatmap validity follows the footprint's rows. */
  seg0: boolean;
  skipped: number;
};

/**
 * Marks the footprint (and heatmap) validity of the cells segment window `win` (tiles [tx0, tx1) of row `ty`) covers,
 * judges its quality blocks, and returns its tiles holding a valid pixel, in order (the others are counted skipped).
 * Synchronous and apart from scanRow's awaits, so V8 optimises these loops once: inside the async scanRow they were
 * compiled five times a scan (each deoptimisation on a path not yet taken threw the whole function's code away).
 */
function segmentTiles(win: RgbRaster, plan: ScanPlan, ty: number, tx0: number, tx1: number, row: RowState): number[] {
  const S = plan.tileSize;
  const T = plan.tileStride;
  const F = plan.footCellWork;
  const { y0w, footRow0, footRows, footValid, heatValid } = row;
  const wx0 = tx0 * T;
  // Footprint (and segmentation heatmap) validity for the cells this segment covers.
  const fx0 = Math.floor(wx0 / F);
  const fx1 = Math.min(plan.footWidth, Math.floor((wx0 + win.width) / F));
  for (let r = 0; r < footRows; r++) {
    const cy = footRow0 + r;
    for (let cx = fx0; cx < fx1; cx++) {
      if (win.allValid || cellValid(win, wx0, y0w, cx * F, cy * F, (cx + 1) * F, (cy + 1) * F, plan)) footValid[r * plan.footWidth + cx] = 1;
    }
  }
  if (plan.quality) row.blocksJudged += judgeSegment(win, plan, ty, tx0, tx1, footRow0, footRows, footValid, row.poorBlocks);
  if (row.seg0) heatValid.set(footValid.subarray(0, heatValid.length).map((v) => (v ? 1 : 0)));
  const tiles: number[] = [];
  for (let tx = tx0; tx < tx1; tx++) {
    const ox = (tx - tx0) * T;
    let any = win.allValid ? 1 : 0;
    for (let y = 0; y < S && !any; y++) {
      const r = y * win.width + ox;
      for (let x = 0; x < S; x++)
        if (win.valid[r + x]) {
          any = 1;
          break;
        }
    }
    if (!any) {
      row.skipped++;
      continue;
    }
    if (!row.seg0) {
      const m = plan.cellOffsetWork;
      if (win.allValid || cellValid(win, wx0, y0w, tx * T + m, y0w + m, tx * T + m + T, y0w + m + T, plan)) heatValid[tx] = 1;
    }
    tiles.push(tx);
  }
  return tiles;
}

/**
 * Scans tile row `ty` (or its tile columns [tx0, tx1)): reads it in segments of `segmentTiles` tiles (the next segment is read while the
 * current one is inferred), skips tiles with no valid pixel, scores the rest in batches of `batchSize`,
 * and measures validity on the heatmap and footprint grids. `onLastRead` is called once the last segment's
 * window has arrived, before it is inferred: the moment to start reading the caller's next row. `sharedBatches`: the
 * model reads batches in shared memory (LoadedModel.sharedBatches). `onScored` is told each batch's tiles as their scores
 * arrive, before the row is done (while the row's blocks are still cached: the read-ahead of the caller's next row may
 * evict them before the row ends).
 */
export async function scanRow(
  ty: number,
  plan: ScanPlan,
  card: ModelCard,
  read: WindowReader,
  infer: BatchInfer,
  options: {
    segmentTiles?: number;
    batchSize?: number;
    onLastRead?: () => void;
    onScored?: (tiles: RowResult['tiles']) => void;
    tx0?: number;
    tx1?: number;
    sharedBatches?: boolean;
  } = {},
): Promise<RowResult> {
  const S = plan.tileSize;
  const T = plan.tileStride;
  const C = card.input.channels.length;
  const seg = Math.max(1, options.segmentTiles ?? 8);
  const B = Math.max(1, options.batchSize ?? 8);
  const y0w = ty * T;
  const batches = new TileBatches(infer, B * C * S * S, options.sharedBatches === true, options.onScored);
  const seg0 = plan.cellOffsetWork === 0 && plan.outCells > 1;
  const heatRow0 = seg0 ? Math.floor(y0w / plan.cellWork) : ty;
  const heatRows = seg0 ? Math.min(S / plan.cellWork, plan.heatHeight - heatRow0) : 1;
  const F = plan.footCellWork;
  const footRow0 = Math.floor(y0w / F);
  const footRows = Math.max(0, Math.min(Math.floor(S / F), plan.footHeight - footRow0));
  const row: RowState = {
    y0w,
    seg0,
    heatValid: new Uint8Array(Math.max(0, heatRows) * plan.heatWidth),
    footRow0,
    footRows,
    footValid: new Uint8Array(footRows * plan.footWidth),
    poorBlocks: [],
    blocksJudged: 0,
    skipped: 0,
  };

  const segments: [number, number][] = [];
  const from = options.tx0 ?? 0;
  const to = Math.min(plan.tilesAcross, options.tx1 ?? plan.tilesAcross);
  for (let tx0 = from; tx0 < to; tx0 += seg) segments.push([tx0, Math.min(to, tx0 + seg)]);
  const readSeg = ([tx0, tx1]: [number, number]) => read(...segmentWindow(plan, ty, tx0, tx1));
  let next = segments.length ? readSeg(segments[0]) : undefined;
  for (let k = 0; k < segments.length; k++) {
    const win = await next!;
    next = k + 1 < segments.length ? readSeg(segments[k + 1]) : undefined;
    if (!next) options.onLastRead?.();
    const [tx0, tx1] = segments[k];
    for (const tx of segmentTiles(win, plan, ty, tx0, tx1, row)) {
      writeTileTensorFrom(win.rgb, win.valid, win.width, (tx - tx0) * T, win.allValid === true, card, batches.batch, batches.pending.length);
      batches.pending.push(tx);
      if (batches.pending.length === B) await batches.flush();
    }
  }
  const tiles = await batches.tiles();
  return {
    ty,
    tx0: from,
    tx1: to,
    tiles,
    tilesInferred: tiles.length,
    tilesSkipped: row.skipped,
    heatRow0,
    heatRows: Math.max(0, heatRows),
    heatValid: row.heatValid,
    footRow0,
    footRows,
    footValid: row.footValid,
    poorBlocks: row.poorBlocks,
    blocksJudged: row.blocksJudged,
  };
}
