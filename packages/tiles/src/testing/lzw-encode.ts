/** A TIFF LZW encoder (MSB-first, early change) for round-trip tests. */
export function lzwEncode(data: Uint8Array): Uint8Array {
  const bytes: number[] = [];
  let acc = 0;
  let accBits = 0;
  let nbits = 9;
  const put = (code: number) => {
    acc = (acc << nbits) | code;
    accBits += nbits;
    while (accBits >= 8) {
      bytes.push((acc >>> (accBits - 8)) & 255);
      accBits -= 8;
    }
    acc &= (1 << accBits) - 1;
  };
  let dict = new Map<string, number>();
  let next = 258;
  put(256);
  let w = '';
  for (const b of data) {
    const wc = w + String.fromCharCode(b);
    if (wc.length === 1 || dict.has(wc)) {
      w = wc;
      continue;
    }
    put(w.length === 1 ? w.charCodeAt(0) : dict.get(w)!);
    dict.set(wc, next++);
    // The decoder adds each entry one code later, so the encoder widens one code later too.
    if (next >= 1 << nbits && nbits < 12) nbits++;
    if (next >= 4094) {
      put(256);
      dict = new Map();
      next = 258;
      nbits = 9;
    }
    w = String.fromCharCode(b);
  }
  if (w) put(w.length === 1 ? w.charCodeAt(0) : dict.get(w)!);
  put(257);
  if (accBits) bytes.push((acc << (8 - accBits)) & 255);
  return Uint8Array.from(bytes);
}
