// Dictionary tables reused across calls: decoding is synchronous, so one set per thread suffices.
const prefix = new Uint16Array(4096);
const suffix = new Uint8Array(4096);
const first = new Uint8Array(4096);
const length = new Uint16Array(4096);
for (let i = 0; i < 256; i++) {
  suffix[i] = i;
  first[i] = i;
  length[i] = 1;
}

/**
 * Decodes TIFF LZW (MSB-first codes, 9–12 bits, "early change") into `expectedBytes` bytes.
 * A typed-array implementation several times faster than a generic one: strings are written
 * backwards straight into the output from prefix/suffix tables.
 */
export function lzwDecode(input: Uint8Array, expectedBytes: number): Uint8Array {
  const out = new Uint8Array(expectedBytes);
  const n = input.length;
  const bitsTotal = n * 8;
  let bitPos = 0;
  let nbits = 9;
  let mask = 511;
  let next = 258;
  let old = -1;
  let op = 0;
  while (op < expectedBytes) {
    // Read one code (up to 12 bits spanning at most 3 bytes).
    if (bitPos + nbits > bitsTotal) break;
    const b = bitPos >>> 3;
    const code = (((input[b] << 16) | ((b + 1 < n ? input[b + 1] : 0) << 8) | (b + 2 < n ? input[b + 2] : 0)) >>> (24 - (bitPos & 7) - nbits)) & mask;
    bitPos += nbits;
    if (code === 257) break;
    if (code === 256) {
      nbits = 9;
      mask = 511;
      next = 258;
      old = -1;
      continue;
    }
    if (old < 0) {
      if (code > 255) throw new Error('LZW: bad code after clear');
      out[op++] = code;
      old = code;
      continue;
    }
    let c: number;
    if (code < next) {
      c = code;
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
      c = code;
    } else {
      throw new Error(`LZW: bad code ${code}`);
    }
    if (c < 256) {
      out[op++] = c;
    } else {
      const len = length[c];
      let p = op + len - 1;
      if (p < expectedBytes) {
        for (; p >= op; p--, c = prefix[c]) out[p] = suffix[c];
      } else {
        for (let k = len - 1; k >= 0; k--, c = prefix[c]) if (op + k < expectedBytes) out[op + k] = suffix[c];
      }
      op += len;
    }
    old = code;
    if (next >= mask && nbits < 12) {
      nbits++;
      mask = (1 << nbits) - 1;
    }
  }
  return out;
}
