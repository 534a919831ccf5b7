// Dictionary tables reused across calls: decoding is synchronous, so one set per thread suffices.
// Every entry is a run of bytes already in the decode buffer: where it starts and how long it is.
const start = new Int32Array(4096);
const length = new Int32Array(4096);
for (let i = 0; i < 256; i++) {
  start[i] = i;
  length[i] = 1;
}
/** The decode buffer starts with the 256 one-byte strings, so a root code is a copy like any other. */
const ROOTS = Uint8Array.from({ length: 256 }, (_, i) => i);
/** Longest string a 12-bit dictionary can hold: room past the end so a copy never needs clipping. */
const SLACK = 4096 + 4;
/** Decode buffer reused when the caller gives an output buffer (decoding is synchronous: one per thread). */
let scratch = new Uint8Array(0);

/**
 * Decodes TIFF LZW (MSB-first codes, 9–12 bits, "early change") into at most `expectedBytes` bytes; a stream
 * that ends early (truncated strip) gives fewer, so the caller can refuse it.
 * Each dictionary entry is kept as a position and length in the output written so far (an entry is the
 * previous code's string plus the next byte, which is exactly what follows it in the output), so every
 * code is one short forward copy within the buffer rather than a walk down a prefix chain.
 */
export function lzwDecode(input: Uint8Array, expectedBytes: number, into?: (n: number) => Uint8Array): Uint8Array {
  // With `into`, decoding goes through a reused scratch buffer and is copied into the buffer it gives.
  if (into && scratch.length < 256 + expectedBytes + SLACK) {
    scratch = new Uint8Array(256 + expectedBytes + SLACK);
    scratch.set(ROOTS);
  }
  const buf = into ? scratch : new Uint8Array(256 + expectedBytes + SLACK);
  if (!into) buf.set(ROOTS);
  const end = 256 + expectedBytes;
  const n = input.length;
  let ip = 0;
  let bits = 0;
  let bitCount = 0;
  let nbits = 9;
  let mask = 511;
  let next = 258;
  // Where the previous code's string starts in the buffer, and its length (0: none since a clear code).
  let oldPos = 0;
  let oldLen = 0;
  let op = 256;
  while (op < end) {
    // Read one code: top up a bit buffer a byte at a time (it never holds more than 12 + 7 bits).
    while (bitCount < nbits && ip < n) {
      bits = ((bits << 8) | input[ip++]) & 0xfffff;
      bitCount += 8;
    }
    if (bitCount < nbits) break;
    bitCount -= nbits;
    const code = (bits >>> bitCount) & mask;
    if (code === 256) {
      nbits = 9;
      mask = 511;
      next = 258;
      oldLen = 0;
      continue;
    }
    if (code === 257) break;
    if (oldLen === 0) {
      if (code > 255) throw new Error('LZW: bad code after clear');
    } else {
      if (code > next) throw new Error(`LZW: bad code ${code}`);
      // The new entry: the previous string plus the first byte of this one (for code === next, this one).
      if (next < 4096) {
        start[next] = oldPos;
        length[next] = oldLen + 1;
        next++;
      } else if (code === next) throw new Error(`LZW: bad code ${code}`);
    }
    let from = start[code];
    const len = length[code];
    oldPos = op;
    oldLen = len;
    // Forward, four bytes a step (up to three too many, overwritten by the next code or left in the slack):
    // for code === next the source runs into what is being written, which in-order copying allows.
    const to = op + len;
    do {
      buf[op] = buf[from];
      buf[op + 1] = buf[from + 1];
      buf[op + 2] = buf[from + 2];
      buf[op + 3] = buf[from + 3];
      op += 4;
      from += 4;
    } while (op < to);
    op = to;
    if (next >= mask && nbits < 12) {
      nbits++;
      mask = (1 << nbits) - 1;
    }
  }
  // A stop before the end (truncated data) leaves zeros, not the over-copied bytes (nor a previous strip's),
  // and the result is only what was decoded: the caller refuses a short block as libtiff does.
  const got = Math.min(op, end) - 256;
  if (op < end) buf.fill(0, op, into ? end : Math.min(op + 4, end));
  if (!into) return buf.subarray(256, 256 + got);
  const out = into(expectedBytes);
  out.set(buf.subarray(256, end));
  return got === expectedBytes ? out : out.subarray(0, got);
}
