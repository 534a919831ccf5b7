import { constants, Inflate, inflateSync } from 'node:zlib';

/** The native side of a zlib stream object: the call zlib.js itself makes for its synchronous methods. */
interface NativeInflate {
  reset(): void;
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  onerror: (message: string, errno: number) => void;
}

let stream: Inflate | undefined;
let native: NativeInflate | undefined;
/** [output bytes left, input bytes left] after the last writeSync, as zlib.js reads them. */
let state: Uint32Array | undefined;
let failure: string | undefined;
let nativeWorks = true;

function nativeInflate(): NativeInflate | undefined {
  if (!nativeWorks) return undefined;
  if (!native) {
    stream = new Inflate();
    const s = stream as unknown as { _handle?: NativeInflate; _writeState?: Uint32Array };
    if (typeof s._handle?.writeSync !== 'function' || typeof s._handle.reset !== 'function' || !(s._writeState instanceof Uint32Array)) {
      nativeWorks = false;
      return undefined;
    }
    native = s._handle;
    state = s._writeState;
    native.onerror = (message) => {
      failure = message;
    };
  }
  return native;
}

/**
 * Inflates one zlib-wrapped block (TIFF Compression 8 / 32946) into `out` (output past its end is dropped);
 * returns the filled part of `out`, or a new array when the stream could not be written there.
 *
 * One zlib stream per thread is reset and reused, writing straight into a buffer the caller recycles:
 * inflateSync builds a stream (z_stream, 32-KB window, a Transform's JavaScript objects) and a fresh output
 * buffer per call, and that allocation, not the inflating, was most of the cost of a 256×256 tile. This is
 * the native call zlib.js makes, on the stream's internal handle; where that is missing, or on any error,
 * inflateSync does the work (and throws zlib's own error for a corrupt block).
 */
export function inflateInto(input: Uint8Array, out: Uint8Array): Uint8Array {
  const z = nativeInflate();
  if (z && out.length > 0) {
    failure = undefined;
    try {
      z.reset();
      z.writeSync(constants.Z_FINISH, input, 0, input.length, out, 0, out.length);
    } catch (err) {
      failure = (err as Error).message ?? 'failed';
    }
    if (failure === undefined) return out.subarray(0, out.length - state![0]);
    // The stream is in an unknown state after an error: the next block gets a fresh one.
    stream?.close();
    stream = undefined;
    native = undefined;
  }
  const r = inflateSync(input, { chunkSize: Math.max(64, out.length) });
  return new Uint8Array(r.buffer, r.byteOffset, r.byteLength);
}
