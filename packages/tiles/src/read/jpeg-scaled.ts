import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Koffi from 'koffi';
import { requireSharp } from './codecs';

/**
 * JPEG blocks decoded at 1/2, 1/4 or 1/8 of their size straight from the DCT coefficients (libjpeg's scaled inverse
 * DCT: libvips' jpegload `shrink`), for a first stage that reads coarser than the file. sharp only shrinks on load
 * inside `resize()`, and never by a whole factor (it halves the shrink-on-load when the shrink is a whole number,
 * and always resizes after it), so the libvips that sharp ships is called directly through koffi (an FFI library
 * with prebuilt binaries): the same library, already initialised by sharp, the decode on the libuv thread pool as
 * sharp's. 512² blocks of the 64-Mpx bench COG: 1.3 CPU-ms at 1/2 against 2.1 for a full decode through sharp.
 */
export interface ScaledJpegDecoder {
  /**
   * Decodes a whole JPEG stream `shrink`× smaller (1: full size, 2, 4 or 8): `channels` bytes a pixel, row after row,
   * written straight into a buffer from `into` when given (recycled blocks: a new one a block cost page faults), else
   * into a new one.
   */
  decode(
    stream: Uint8Array,
    shrink: number,
    into?: (n: number) => Uint8Array,
    block?: BlockShape,
  ): Promise<{ data: Uint8Array; width: number; height: number; channels: number }>;
}

/**
 * What a block's stream must decode to, checked on its header before any pixel is decoded or buffer asked for: its
 * width and channels, and at most its height (a last strip may hold fewer rows). A crafted file's block whose header
 * claims 30 000 × 30 000 pixels would otherwise have its 2.7 GB written.
 */
export interface BlockShape {
  width: number;
  height: number;
  channels: number;
}

/** VipsFailOn: stop on the first error (sharp's `failOn: 'error'`), so a corrupt block is refused, not grey. */
const VIPS_FAIL_ON_ERROR = 2;

/** libvips' C entry points the decoder calls (exported by sharp's libvips-cpp). */
interface VipsCalls {
  koffi: typeof Koffi;
  jpegload: Koffi.KoffiFunction;
  writeToMemory: Koffi.KoffiFunction;
  newFromMemory: Koffi.KoffiFunction;
  imageWrite: Koffi.KoffiFunction;
  width: Koffi.KoffiFunction;
  height: Koffi.KoffiFunction;
  bands: Koffi.KoffiFunction;
  format: Koffi.KoffiFunction;
  unref: Koffi.KoffiFunction;
  gFree: Koffi.KoffiFunction;
  errorBuffer: Koffi.KoffiFunction;
  errorClear: Koffi.KoffiFunction;
}

/** Where sharp's libvips lies for this platform (sharp's own prebuilt package), or undefined. */
function libvipsPath(): string | undefined {
  const fromSharp = createRequire(createRequire(import.meta.url).resolve('sharp'));
  const { platform, arch } = process;
  const names = platform === 'linux' ? [`linux-${arch}`, `linuxmusl-${arch}`] : [`${platform}-${arch}`];
  for (const n of names) {
    try {
      const p = fromSharp.resolve(`@img/sharp-libvips-${n}/binary`);
      if (existsSync(p)) return p;
    } catch {
      // Not this one.
    }
  }
  // Windows: libvips ships inside sharp's own platform package.
  try {
    const p = join(dirname(fromSharp.resolve(`@img/sharp-${platform}-${arch}/package.json`)), 'lib', 'libvips-42.dll');
    if (existsSync(p)) return p;
  } catch {
    // None.
  }
  return undefined;
}

/** Binds the calls, after sharp has loaded (and initialised) the same library; undefined when anything is missing. */
function bindVips(): VipsCalls | undefined {
  try {
    requireSharp();
    const path = libvipsPath();
    if (!path) return undefined;
    const koffi = createRequire(import.meta.url)('koffi') as typeof Koffi;
    const lib = koffi.load(path);
    return {
      koffi,
      jpegload: lib.func('int vips_jpegload_buffer(void *buf, size_t len, _Out_ void **out, ...)'),
      writeToMemory: lib.func('void *vips_image_write_to_memory(void *image, _Out_ size_t *size)'),
      newFromMemory: lib.func('void *vips_image_new_from_memory(void *data, size_t size, int width, int height, int bands, int format)'),
      imageWrite: lib.func('int vips_image_write(void *image, void *out)'),
      width: lib.func('int vips_image_get_width(void *image)'),
      height: lib.func('int vips_image_get_height(void *image)'),
      bands: lib.func('int vips_image_get_bands(void *image)'),
      format: lib.func('int vips_image_get_format(void *image)'),
      unref: lib.func('void g_object_unref(void *object)'),
      gFree: lib.func('void g_free(void *mem)'),
      errorBuffer: lib.func('const char *vips_error_buffer()'),
      errorClear: lib.func('void vips_error_clear()'),
    };
  } catch {
    return undefined;
  }
}

/** libvips' last error, cleared. */
function vipsError(v: VipsCalls): string {
  const m = String(v.errorBuffer() ?? '').trim();
  v.errorClear();
  return m || 'libvips could not decode the block';
}

/** Writes the (lazily loaded) image to memory on the thread pool, and copies it into a JavaScript buffer. */
async function pixelsOf(v: VipsCalls, image: unknown): Promise<Uint8Array> {
  const size: [number] = [0];
  const mem = await new Promise<unknown>((resolve, reject) => {
    v.writeToMemory.async(image, size, (err: unknown, p: unknown) => (err ? reject(err) : resolve(p)));
  });
  if (!mem) throw new Error(vipsError(v));
  try {
    return new Uint8Array(v.koffi.view(mem, size[0])).slice();
  } finally {
    v.gFree(mem);
  }
}

/** VipsBandFormat of 8-bit unsigned samples. */
const VIPS_FORMAT_UCHAR = 0;

/**
 * Writes the (lazily loaded) image's 8-bit pixels on the thread pool straight into `out` (a buffer the caller
 * recycles): no buffer of libvips' own. A strip of a wide file decodes to ~2 MB, which glibc maps afresh and
 * unmaps for each strip (page faults: 4.2 against 1.3 system-s on 240 Mpx of 16-row JPEG strips).
 */
async function pixelsInto(v: VipsCalls, image: unknown, out: Uint8Array, width: number, height: number, bands: number): Promise<void> {
  const target = v.newFromMemory(out, out.byteLength, width, height, bands, VIPS_FORMAT_UCHAR);
  if (!target) throw new Error(vipsError(v));
  try {
    const rc = await new Promise<number>((resolve, reject) => {
      v.imageWrite.async(image, target, (err: unknown, r: number) => (err ? reject(err) : resolve(r)));
    });
    if (rc !== 0) throw new Error(vipsError(v));
  } finally {
    v.unref(target);
  }
}

function decoderOver(v: VipsCalls): ScaledJpegDecoder {
  return {
    async decode(stream, shrink, into, block) {
      const out: [unknown] = [null];
      // jpegload only reads the header here; the stream must stay alive until the pixels are written (it is not copied).
      const rc = v.jpegload(stream, stream.byteLength, out, 'str', 'shrink', 'int', shrink, 'str', 'fail_on', 'int', VIPS_FAIL_ON_ERROR, 'void *', null);
      if (rc !== 0 || !out[0]) throw new Error(vipsError(v));
      const image = out[0];
      try {
        const width = v.width(image) as number;
        const height = v.height(image) as number;
        const channels = v.bands(image) as number;
        if (block && (width !== block.width || height > block.height || channels !== block.channels)) {
          throw new Error(`JPEG block is ${width}×${height}×${channels}, expected ${block.width}×${block.height}×${block.channels}`);
        }
        let data: Uint8Array;
        if (into) {
          // The target takes the image's header as it is written: only 8-bit samples fit the bytes asked for.
          if (v.format(image) !== VIPS_FORMAT_UCHAR) throw new Error(`JPEG stream of ${v.format(image)}-format samples, not 8-bit`);
          data = into(width * height * channels);
          await pixelsInto(v, image, data, width, height, channels);
        } else data = await pixelsOf(v, image);
        // Keeps the stream referenced until libvips has read it.
        if (stream.byteLength < 0) throw new Error('unreachable');
        return { data, width, height, channels };
      } finally {
        v.unref(image);
      }
    },
  };
}

let bound: ScaledJpegDecoder | null | undefined;

/**
 * The scaled JPEG decoder, bound on first use; null where sharp's libvips or koffi cannot be loaded (the scan then
 * decodes every block at full size, as before).
 */
export function scaledJpegDecoder(): ScaledJpegDecoder | null {
  if (bound === undefined) {
    const v = bindVips();
    bound = v ? decoderOver(v) : null;
  }
  return bound;
}
