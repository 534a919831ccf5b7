/** TIFF field types used by the writer. */
export const TYPE = { ASCII: 2, SHORT: 3, LONG: 4, UNDEFINED: 7, DOUBLE: 12, LONG8: 16 } as const;
const SIZE: Record<number, number> = { 2: 1, 3: 2, 4: 4, 7: 1, 12: 8, 16: 8 };

/** One IFD entry: a tag with its type and values (a string for ASCII). */
export interface IfdEntry {
  tag: number;
  type: (typeof TYPE)[keyof typeof TYPE];
  values: readonly number[] | string;
}

function valueBytes(e: IfdEntry): number {
  const count = typeof e.values === 'string' ? Buffer.byteLength(e.values) + 1 : e.values.length;
  return count * SIZE[e.type];
}

/** Bytes an IFD (entries, next-IFD pointer and out-of-line values, word-aligned) occupies. */
export function ifdByteLength(entries: readonly IfdEntry[], bigTiff: boolean): number {
  const entrySize = bigTiff ? 20 : 12;
  const inline = bigTiff ? 8 : 4;
  let n = (bigTiff ? 8 : 2) + entries.length * entrySize + (bigTiff ? 8 : 4);
  for (const e of entries) {
    const b = valueBytes(e);
    if (b > inline) n += b + (b % 2);
  }
  return n;
}

function writeValues(buf: Buffer, at: number, e: IfdEntry): void {
  if (typeof e.values === 'string') {
    buf.write(e.values, at, 'latin1');
    buf[at + Buffer.byteLength(e.values)] = 0;
    return;
  }
  const s = SIZE[e.type];
  e.values.forEach((v, i) => {
    const p = at + i * s;
    switch (e.type) {
      case TYPE.UNDEFINED:
        buf[p] = v;
        break;
      case TYPE.SHORT:
        buf.writeUInt16LE(v, p);
        break;
      case TYPE.LONG:
        buf.writeUInt32LE(v, p);
        break;
      case TYPE.DOUBLE:
        buf.writeDoubleLE(v, p);
        break;
      case TYPE.LONG8:
        buf.writeBigUInt64LE(BigInt(v), p);
        break;
    }
  });
}

/**
 * Encodes one little-endian IFD placed at `offset`, out-of-line values following the entries.
 * Entries are sorted by tag as TIFF requires.
 */
export function encodeIfd(entries: readonly IfdEntry[], offset: number, nextIfd: number, bigTiff: boolean): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const buf = Buffer.alloc(ifdByteLength(sorted, bigTiff));
  const entrySize = bigTiff ? 20 : 12;
  const inline = bigTiff ? 8 : 4;
  let p = 0;
  if (bigTiff) {
    buf.writeBigUInt64LE(BigInt(sorted.length), 0);
    p = 8;
  } else {
    buf.writeUInt16LE(sorted.length, 0);
    p = 2;
  }
  let extra = p + sorted.length * entrySize + (bigTiff ? 8 : 4);
  for (const e of sorted) {
    const count = typeof e.values === 'string' ? Buffer.byteLength(e.values) + 1 : e.values.length;
    buf.writeUInt16LE(e.tag, p);
    buf.writeUInt16LE(e.type, p + 2);
    if (bigTiff) buf.writeBigUInt64LE(BigInt(count), p + 4);
    else buf.writeUInt32LE(count, p + 4);
    const valueAt = p + (bigTiff ? 12 : 8);
    const b = valueBytes(e);
    if (b <= inline) {
      writeValues(buf, valueAt, e);
    } else {
      if (bigTiff) buf.writeBigUInt64LE(BigInt(offset + extra), valueAt);
      else buf.writeUInt32LE(offset + extra, valueAt);
      writeValues(buf, extra, e);
      extra += b + (b % 2);
    }
    p += entrySize;
  }
  if (bigTiff) buf.writeBigUInt64LE(BigInt(nextIfd), p);
  else buf.writeUInt32LE(nextIfd, p);
  return buf;
}

/** The 8-byte classic or 16-byte BigTIFF little-endian header pointing at the first IFD. */
export function encodeHeader(firstIfd: number, bigTiff: boolean): Buffer {
  if (bigTiff) {
    const b = Buffer.alloc(16);
    b.write('II', 0, 'latin1');
    b.writeUInt16LE(43, 2);
    b.writeUInt16LE(8, 4);
    b.writeUInt16LE(0, 6);
    b.writeBigUInt64LE(BigInt(firstIfd), 8);
    return b;
  }
  const b = Buffer.alloc(8);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(firstIfd, 4);
  return b;
}
