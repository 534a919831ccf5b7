/**
 * Decodes TIFF LZW (MSB-first codes, 9–12 bits, "early change") into `expectedBytes` bytes.
 * A typed-array implementation several times faster than a generic one: strings are written
 * backwards straight into the output from prefix/suffix tables.
 */
export function lzwDecode(input: Uint8Array, expectedBytes: number): Uint8Array {
  const out = new Uint8Array(expectedBytes);
  const prefix = new Uint16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
  }
  const n = input.length;
  const bitsTotal = n * 8;
  let bitPos = 0;
  let nbits = 9;
  let next = 258;
  let old = -1;
  let op = 0;
  const read = (): number => {
    if (bitPos + nbits > bitsTotal) return 257;
    const b = bitPos >>> 3;
    const v = ((input[b] << 16) | ((b + 1 < n ? input[b + 1] : 0) << 8) | (b + 2 < n ? input[b + 2] : 0)) >>> (24 - (bitPos & 7) - nbits);
    bitPos += nbits;
    return v & ((1 << nbits) - 1);
  };
  const emit = (code: number): void => {
    const len = length[code];
    let p = op + len - 1;
    let c = code;
    if (p >= expectedBytes) {
      // Trailing data beyond the block: write what fits.
      for (let k = len - 1; k >= 0; k--, c = prefix[c]) if (op + k < expectedBytes) out[op + k] = suffix[c];
    } else {
      for (; p >= op; p--, c = prefix[c]) out[p] = suffix[c];
    }
    op += len;
  };
  for (;;) {
    let code = read();
    if (code === 257) break;
    if (code === 256) {
      nbits = 9;
      next = 258;
      code = read();
      if (code === 257) break;
      if (code > 255) throw new Error('LZW: bad code after clear');
      if (op < expectedBytes) out[op] = code;
      op++;
      old = code;
      continue;
    }
    if (old < 0) throw new Error('LZW: stream does not start with a clear code');
    if (code < next) {
      emit(code);
      if (next < 4096) {
        prefix[next] = old;
        suffix[next] = first[code];
        first[next] = first[old];
        length[next] = length[old] + 1;
        next++;
      }
    } else if (code === next && next < 4096) {
      prefix[next] = old;
      suffix[next] = first[old];
      first[next] = first[old];
      length[next] = length[old] + 1;
      next++;
      emit(code);
    } else {
      throw new Error(`LZW: bad code ${code}`);
    }
    old = code;
    if (next >= (1 << nbits) - 1 && nbits < 12) nbits++;
    if (op >= expectedBytes) break;
  }
  return out;
}
