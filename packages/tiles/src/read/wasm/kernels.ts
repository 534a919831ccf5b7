import { KERNELS_WASM_BASE64 } from './kernels-wasm';

/**
 * The WebAssembly (SIMD) twins of the block reader's hottest loops (kernels.c): predictor 2 on 8-bit RGB, the
 * 2×/3× box average and the fractional (1.5×-type) area average. Each gives exactly the bytes of the JavaScript it replaces, which stays as the
 * fallback where WebAssembly is unavailable. A region to be averaged lives in a memory of its own
 * ({@link kernelBuffer}), so the kernel reads it where the blocks were copied, without another copy.
 */
interface Exports {
  undo_pred_rgb8(p: number, rowBytes: number, rows: number): void;
  box_rgb8(src: number, srcStride: number, k: number, out: number, outW: number, outH: number, acc: number): void;
  dyadic_inside_rgb8(...args: number[]): void;
  dyadic_edge_rgb8(...args: number[]): void;
  area_inside_rgb8(...args: number[]): void;
}

interface Kernel {
  exports: Exports;
  memory: WebAssembly.Memory;
  heap: Uint8Array;
}

/** Bytes at the bottom of each memory left to the module's stack and data. */
const RESERVED = 128 * 1024;
const PAGE = 65536;

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bin = atob(KERNELS_WASM_BASE64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** An instance with a fixed-size memory of its own (never grown, so views into it stay valid). */
function instantiate(bytes: number): Kernel | undefined {
  const m = wasmModule();
  if (!m) return undefined;
  try {
    const pages = Math.ceil((RESERVED + bytes) / PAGE);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const instance = new WebAssembly.Instance(m, { env: { memory } });
    return { exports: instance.exports as unknown as Exports, memory, heap: new Uint8Array(memory.buffer) };
  } catch {
    return undefined;
  }
}

const byBuffer = new WeakMap<ArrayBufferLike, Kernel>();

/**
 * A region buffer of `bytes` that {@link boxRgb8} can average in place (room for its output follows it), or
 * undefined without WebAssembly.
 */
export function kernelBuffer(bytes: number): Uint8Array | undefined {
  const k = instantiate(2 * bytes + PAGE);
  if (!k) return undefined;
  byBuffer.set(k.memory.buffer, k);
  return new Uint8Array(k.memory.buffer, RESERVED, bytes);
}

/** Whether `a` lies in a {@link kernelBuffer}'s memory (the resampling kernels read it there). */
export const inKernelBuffer = (a: Uint8Array): boolean => byBuffer.has(a.buffer);

const align16 = (n: number) => (n + 15) & ~15;

/**
 * Copies `rows` rows of `rowBytes` bytes from `src` (rows `srcStride` bytes apart from byte `srcStart`) into the
 * {@link kernelBuffer} `dst` (rows `dstStride` apart from byte `dstStart`): the rows are first set, in one call,
 * into the spare memory after `dst`, then moved with copyWithin inside that memory. A row at a time from one array
 * to another needs a view a row (Buffer#copy makes one: ~48 MB of garbage and ~0.1 ms a 512-px JPEG block on the
 * 64-Mpx COG). Rows of which less than half is wanted are set one by one instead (the span would be mostly waste).
 * False when `dst` is not a kernel buffer or the rows do not fit in it or after it (the caller copies them).
 * The spare memory is the resampling kernels' output room: free while a region is being filled.
 */
export function copyRowsIntoKernel(
  dst: Uint8Array,
  dstStart: number,
  dstStride: number,
  src: Uint8Array,
  srcStart: number,
  srcStride: number,
  rowBytes: number,
  rows: number,
): boolean {
  const kern = byBuffer.get(dst.buffer);
  if (!kern) return false;
  const span = (rows - 1) * srcStride + rowBytes;
  if (srcStart + span > src.length) return false;
  const heap = kern.heap;
  if (span > 2 * rows * rowBytes) {
    // A narrow piece of wide rows (a window's columns of a 40 000-px strip band): staging the whole span copied ~8×
    // the bytes needed on a striped file (6.5 GB for 0.8 GB on 240 Mpx). Row by row instead: a view a row, few rows.
    if (dstStart + (rows - 1) * dstStride + rowBytes > dst.length) return false;
    for (let r = 0, s = srcStart, d = dst.byteOffset + dstStart; r < rows; r++, s += srcStride, d += dstStride) heap.set(src.subarray(s, s + rowBytes), d);
    return true;
  }
  const stage = align16(dst.byteOffset + dst.length);
  if (stage + span > heap.length) return false;
  heap.set(srcStart === 0 && span === src.length ? src : src.subarray(srcStart, srcStart + span), stage);
  for (let r = 0, s = stage, d = dst.byteOffset + dstStart; r < rows; r++, s += srcStride, d += dstStride) heap.copyWithin(d, s, s + rowBytes);
  return true;
}

/**
 * The k×k box average (k = 2 or 3, every pixel valid) of the box at (x0, y0) of `rgb` (`width` pixels a row),
 * onto `outWidth × outHeight` cells: (sum + k²/2) / k² truncated, as the JavaScript does. Undefined when `rgb`
 * is not a {@link kernelBuffer}.
 */
export function boxRgb8(rgb: Uint8Array, width: number, x0: number, y0: number, k: number, outWidth: number, outHeight: number): Uint8Array | undefined {
  const kern = byBuffer.get(rgb.buffer);
  if (!kern || (k !== 2 && k !== 3)) return undefined;
  const outOff = align16(rgb.byteOffset + rgb.length);
  const accOff = align16(outOff + outWidth * outHeight * 3);
  if (accOff + outWidth * k * 3 * 2 > kern.heap.length) return undefined;
  kern.exports.box_rgb8(rgb.byteOffset + (y0 * width + x0) * 3, width * 3, k, outOff, outWidth, outHeight, accOff);
  return kern.heap.slice(outOff, outOff + outWidth * outHeight * 3);
}

let scratch: Kernel | undefined;

/** Undoes predictor 2 on 8-bit RGB rows in place (copied through a scratch memory); false without WebAssembly. */
export function undoRgbPredictorWasm(data: Uint8Array, rowBytes: number, rows: number): boolean {
  const n = rowBytes * rows;
  if (!scratch || scratch.heap.length < RESERVED + n) {
    scratch = instantiate(Math.max(n, 1 << 20));
    if (!scratch) return false;
  }
  scratch.heap.set(data.subarray(0, n), RESERVED);
  scratch.exports.undo_pred_rgb8(RESERVED, rowBytes, rows);
  data.set(scratch.heap.subarray(RESERVED, RESERVED + n));
  return true;
}

/** Taps of one axis as the fractional resamplers use them: per output cell, its first tap and tap count. */
export interface KernelTaps {
  start: Int32Array;
  count: Int32Array;
  /** Per tap: source row index (y) or byte offset in the row buffer (x). */
  index: Int32Array;
  /** Per tap: weight in 1/16ths. */
  weight: Int32Array;
}

/** Copies arrays into the memory after a kernel buffer's region; undefined when they do not fit. */
function layout(kern: Kernel, from: number, sizes: number[]): number[] | undefined {
  const offs: number[] = [];
  let o = align16(from);
  for (const n of sizes) {
    offs.push(o);
    o = align16(o + n);
  }
  return o <= kern.heap.length ? offs : undefined;
}

const put = (kern: Kernel, off: number, a: Int32Array | Float64Array) =>
  (a instanceof Int32Array ? new Int32Array(kern.memory.buffer, off, a.length) : new Float64Array(kern.memory.buffer, off, a.length)).set(a as never);

/**
 * resampleDyadic of resample-area.ts (source valid everywhere, box inside it, weights in 1/16ths) on a
 * {@link kernelBuffer}: the same integer sums and the same final `sum × 2⁻⁸ × 1/(wsum × colW) + 0.5`.
 */
export function dyadicInsideRgb8(
  rgb: Uint8Array,
  width: number,
  c0: number,
  span: number,
  outWidth: number,
  outHeight: number,
  ty: KernelTaps,
  wsum: Float64Array,
  tx: KernelTaps,
  colW: Float64Array,
): Uint8Array | undefined {
  const arrays = [ty.start, ty.count, ty.index, ty.weight, wsum, tx.start, tx.count, tx.index, tx.weight, colW];
  return runInside(rgb, arrays, [span * 4, outWidth * 8], outWidth * outHeight * 3, (k, offs) =>
    k.dyadic_inside_rgb8(rgb.byteOffset, width * 3, c0 * 3, span, outWidth, outHeight, ...offs),
  );
}

/**
 * Runs a resampling kernel on the region of {@link kernelBuffer} `rgb`: `arrays` copied into the memory after it,
 * then room of `scratch` bytes each and `outBytes` for the output, whose bytes are returned. Undefined when `rgb` is
 * not a kernel buffer or all this does not fit after it.
 */
function runInside(
  rgb: Uint8Array,
  arrays: (Int32Array | Float64Array)[],
  scratch: number[],
  outBytes: number,
  call: (k: Exports, offs: number[]) => void,
): Uint8Array | undefined {
  const kern = byBuffer.get(rgb.buffer);
  if (!kern) return undefined;
  const offs = layout(kern, rgb.byteOffset + rgb.length, [...arrays.map((a) => a.byteLength), ...scratch, outBytes]);
  if (!offs) return undefined;
  arrays.forEach((a, i) => put(kern, offs[i], a));
  call(kern.exports, offs);
  const out = offs[offs.length - 1];
  return kern.heap.slice(out, out + outBytes);
}

/**
 * edgeAllValidDyadic of resample-area.ts (source valid everywhere, box reaching past it) on a
 * {@link kernelBuffer}: fills `rgb` and `valid` (zeroed, outWidth × outHeight) and returns true.
 */
export function dyadicEdgeRgb8(
  src: Uint8Array,
  width: number,
  c0: number,
  span: number,
  outWidth: number,
  outHeight: number,
  half: number,
  ty: KernelTaps,
  tx: KernelTaps,
  colW: Int32Array,
  rgb: Uint8Array,
  valid: Uint8Array,
): boolean {
  const kern = byBuffer.get(src.buffer);
  if (!kern) return false;
  const arrays = [ty.start, ty.count, ty.index, ty.weight, tx.start, tx.count, tx.index, tx.weight, colW];
  const offs = layout(kern, src.byteOffset + src.length, [...arrays.map((a) => a.byteLength), span * 4, outWidth * outHeight * 3, outWidth * outHeight]);
  if (!offs) return false;
  arrays.forEach((a, i) => put(kern, offs[i], a));
  const [out, val] = [offs[10], offs[11]];
  kern.heap.fill(0, out, out + outWidth * outHeight * 3);
  kern.heap.fill(0, val, val + outWidth * outHeight);
  kern.exports.dyadic_edge_rgb8(src.byteOffset, width * 3, c0 * 3, span, outWidth, outHeight, half, ...offs);
  rgb.set(kern.heap.subarray(out, out + outWidth * outHeight * 3));
  valid.set(kern.heap.subarray(val, val + outWidth * outHeight));
  return true;
}

/** Taps of one axis with their weights as the JavaScript resampler reads them (float32 values, widened to double). */
export interface AreaTaps {
  start: Int32Array;
  count: Int32Array;
  /** Per tap: source row index (y) or byte offset in the row buffer (x). */
  index: Int32Array;
  weight: Float64Array;
}

/**
 * resampleAllValid of resample-area.ts (source valid everywhere, box inside it, any weights: a factor such as
 * 1.5004, where a 10-cm orthophoto's ground GSD is a hair over 0.1 m) on a {@link kernelBuffer}: the same
 * double-precision sums in the same order, so the same bytes. Undefined when `rgb` is not a kernel buffer or the
 * arrays do not fit after it.
 */
export function areaInsideRgb8(
  rgb: Uint8Array,
  width: number,
  c0: number,
  span: number,
  outWidth: number,
  outHeight: number,
  ty: AreaTaps,
  tx: AreaTaps,
  colW: Float64Array,
): Uint8Array | undefined {
  const arrays = [ty.start, ty.count, ty.index, ty.weight, tx.start, tx.count, tx.index, tx.weight, colW];
  return runInside(rgb, arrays, [span * 8], outWidth * outHeight * 3, (k, offs) =>
    k.area_inside_rgb8(rgb.byteOffset, width * 3, c0 * 3, span, outWidth, outHeight, ...offs),
  );
}
