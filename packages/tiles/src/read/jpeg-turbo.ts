import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Koffi from 'koffi';
import type { BlockShape } from './jpeg-scaled';

/**
 * Full-size 8-bit RGB JPEG blocks decoded by TurboJPEG (libjpeg-turbo 3) on the thread pool, straight into the
 * reader's buffer. libvips costs 2.5-2.8 CPU-ms a 512² tile and 4.5-7 a 40 000 × 16 strip of the bench files where
 * TurboJPEG costs 1.1 and 2.4-2.6 (the same libjpeg-turbo underneath; the rest is libvips' pipeline), and JPEG
 * decoding is most of a scan's work on a file without overviews. The library is the one `@julusian/jpeg-turbo`
 * ships prebuilt (a separate `libturbojpeg.so.0` on Linux), called through koffi rather than through that package's
 * binding, which asks for the fast, less accurate IDCT: here the accurate one, as libvips and GDAL decode, so the
 * pixels are libvips' to the byte (jpeg-turbo.test.ts). Elsewhere (no such library: macOS, Windows) the scan decodes
 * through libvips as before.
 */
export interface TurboJpegDecoder {
  /**
   * Decodes a whole JPEG stream at full size into a buffer from `into`: 3 bytes a pixel, row after row. Refuses,
   * before any buffer is asked for, a stream whose header is not `block`'s shape (width, at most its height) or not
   * 8-bit three-component; and a stream libjpeg warns about or fails on (the caller then decides with libvips).
   */
  decode(stream: Uint8Array, into: (n: number) => Uint8Array, block: BlockShape): Promise<{ data: Uint8Array; width: number; height: number }>;
}

/** TurboJPEG 3's constants (turbojpeg.h). */
const TJINIT_DECOMPRESS = 1;
const TJPARAM_JPEGWIDTH = 5;
const TJPARAM_JPEGHEIGHT = 6;
const TJPARAM_PRECISION = 7;
const TJPARAM_COLORSPACE = 8;
const TJPARAM_LOSSLESS = 15;
const TJCS_RGB = 0;
const TJCS_YCBCR = 1;
const TJPF_RGB = 0;

interface TurboCalls {
  init: Koffi.KoffiFunction;
  header: Koffi.KoffiFunction;
  get: Koffi.KoffiFunction;
  decompress: Koffi.KoffiFunction;
  errorStr: Koffi.KoffiFunction;
  destroy: Koffi.KoffiFunction;
}

/** Where the prebuilt TurboJPEG libraries for this platform may lie (glibc first, then musl), or none. */
function libturbojpegPaths(): string[] {
  if (process.platform !== 'linux') return [];
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('@julusian/jpeg-turbo/package.json'));
    return ['', '-musl'].map((libc) => join(dir, 'prebuilds', `jpeg-turbo-linux-${process.arch}${libc}`, 'libturbojpeg.so.0')).filter((p) => existsSync(p));
  } catch {
    return [];
  }
}

/** Binds the calls from the first library that loads (a glibc build does not load on musl, nor the reverse). */
function bindTurbo(): TurboCalls | undefined {
  const paths = libturbojpegPaths();
  if (!paths.length) return undefined;
  for (const path of paths) {
    try {
      const lib = (createRequire(import.meta.url)('koffi') as typeof Koffi).load(path);
      return {
        init: lib.func('void *tj3Init(int initType)'),
        header: lib.func('int tj3DecompressHeader(void *handle, void *jpegBuf, size_t jpegSize)'),
        get: lib.func('int tj3Get(void *handle, int param)'),
        decompress: lib.func('int tj3Decompress8(void *handle, void *jpegBuf, size_t jpegSize, void *dstBuf, int pitch, int pixelFormat)'),
        errorStr: lib.func('const char *tj3GetErrorStr(void *handle)'),
        destroy: lib.func('void tj3Destroy(void *handle)'),
      };
    } catch {
      // The other libc's build, or a broken install: the next, else libvips.
    }
  }
  return undefined;
}

function decoderOver(t: TurboCalls): TurboJpegDecoder {
  // A handle decodes one stream at a time: one a decode in flight, kept for the next while it only ever succeeded.
  // One that failed is destroyed: after a damaged stream, a handle refused the next sound one ("Bogus Huffman table").
  const idle: unknown[] = [];
  const fail = (h: unknown, what: string) => new Error(`${what}: ${String(t.errorStr(h) ?? '').trim() || 'TurboJPEG failed'}`);
  return {
    async decode(stream, into, block) {
      const h = idle.pop() ?? t.init(TJINIT_DECOMPRESS);
      if (!h) throw new Error('TurboJPEG could not start a decoder');
      let sound = false;
      try {
        if (t.header(h, stream, stream.byteLength) !== 0) throw fail(h, 'JPEG header');
        const width = t.get(h, TJPARAM_JPEGWIDTH) as number;
        const height = t.get(h, TJPARAM_JPEGHEIGHT) as number;
        const cs = t.get(h, TJPARAM_COLORSPACE) as number;
        const threeComponents = cs === TJCS_YCBCR || cs === TJCS_RGB;
        if (width !== block.width || height < 1 || height > block.height || !threeComponents || block.channels !== 3) {
          sound = true; // a sound header of another shape: the handle is fine
          throw new Error(`JPEG block is ${width}×${height} (colour space ${cs}), expected ${block.width}×${block.height}×${block.channels}`);
        }
        if (t.get(h, TJPARAM_PRECISION) !== 8 || t.get(h, TJPARAM_LOSSLESS) === 1) {
          sound = true;
          throw new Error('JPEG block is not 8-bit lossy');
        }
        const data = into(width * height * 3);
        // TurboJPEG writes every row: never into less than that.
        if (data.length < width * height * 3) {
          sound = true;
          throw new Error(`a buffer of ${data.length} bytes for a ${width}×${height} JPEG block`);
        }
        const rc = await new Promise<number>((resolve, reject) => {
          t.decompress.async(h, stream, stream.byteLength, data, 0, TJPF_RGB, (err: unknown, r: number) => (err ? reject(err) : resolve(r)));
        });
        // Non-zero: an error, or a warning (corrupt data libjpeg decoded through); either way not taken as decoded.
        if (rc !== 0) throw fail(h, 'JPEG block');
        sound = true;
        // Keeps the stream referenced until the decode has read it.
        if (stream.byteLength < 0) throw new Error('unreachable');
        return { data, width, height };
      } finally {
        if (sound) idle.push(h);
        else t.destroy(h);
      }
    },
  };
}

let bound: TurboJpegDecoder | null | undefined;

/** The TurboJPEG decoder, bound on first use; null where its library cannot be loaded (the scan decodes through libvips). */
export function turboJpegDecoder(): TurboJpegDecoder | null {
  if (bound === undefined) {
    const t = bindTurbo();
    bound = t ? decoderOver(t) : null;
  }
  return bound;
}
