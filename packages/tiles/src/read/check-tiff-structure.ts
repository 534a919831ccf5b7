import type { FileHandle } from 'node:fs/promises';
import { TilesError } from '../errors';
import { LIMITS } from './limits';

/** Bytes per value of each TIFF field type (6.0 and BigTIFF). */
const TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

/** Tag names for messages (the ones a hostile file is most likely to inflate). */
const TAG_NAMES: Record<number, string> = {
  273: 'StripOffsets',
  279: 'StripByteCounts',
  324: 'TileOffsets',
  325: 'TileByteCounts',
  258: 'BitsPerSample',
  320: 'ColorMap',
  339: 'SampleFormat',
  338: 'ExtraSamples',
  347: 'JPEGTables',
  33550: 'ModelPixelScale',
  33922: 'ModelTiepoint',
  34264: 'ModelTransformation',
  34735: 'GeoKeyDirectory',
  34736: 'GeoDoubleParams',
  34737: 'GeoAsciiParams',
  42112: 'GDAL_METADATA',
  42113: 'GDAL_NODATA',
};

/** The layout of the header: which TIFF flavour and byte order. */
export interface TiffFlavour {
  bigTiff: boolean;
  bigEndian: boolean;
}

const corrupt = (path: string, why: string) =>
  new TilesError(
    'TIANDI_E_CORRUPT_TIFF',
    `文件头损坏 corrupt TIFF header: ${why}; the file is damaged or crafted: export it again (gdal_translate in.tif out.tif)`,
    path,
  );

/**
 * Walks the chain of image file directories (IFDs) with bounded reads before any TIFF library parses it,
 * so no count or offset in the header can make the reader allocate more than the file holds: every IFD
 * offset lies inside the file, the chain has no loop and at most {@link LIMITS.maxIfds} directories, each
 * directory has at most {@link LIMITS.maxIfdEntries} entries of known types, and every out-of-line tag value
 * (count × type size) lies inside the file and is at most {@link LIMITS.maxTagBytes}. A GeoKeyDirectory
 * claiming 0x3fffffff values in a 560 KB file is refused here, in microseconds, with memory untouched.
 * @throws TilesError `TIANDI_E_CORRUPT_TIFF` naming the directory, the tag and the numbers.
 */
export async function checkTiffStructure(fh: FileHandle, fileBytes: number, path: string, f: TiffFlavour): Promise<void> {
  const { bigTiff, bigEndian } = f;
  const headBytes = bigTiff ? 16 : 8;
  if (fileBytes < headBytes) throw corrupt(path, `the file has ${fileBytes} bytes, less than a TIFF header`);
  const head = await readAt(fh, 0, headBytes);
  const u16 = (b: Buffer, at: number) => (bigEndian ? b.readUInt16BE(at) : b.readUInt16LE(at));
  const u32 = (b: Buffer, at: number) => (bigEndian ? b.readUInt32BE(at) : b.readUInt32LE(at));
  const u64 = (b: Buffer, at: number) => Number(bigEndian ? b.readBigUInt64BE(at) : b.readBigUInt64LE(at));
  let ifdAt = bigTiff ? u64(head, 8) : u32(head, 4);
  const seen = new Set<number>();
  const entrySize = bigTiff ? 20 : 12;
  const countSize = bigTiff ? 8 : 2;
  const inline = bigTiff ? 8 : 4;
  for (let index = 0; ifdAt !== 0; index++) {
    // The reader opens at most maxIfds directories; whatever follows is never parsed.
    if (index >= LIMITS.maxIfds) return;
    if (seen.has(ifdAt)) throw corrupt(path, `IFD ${index} points back to an earlier directory at byte ${ifdAt} (a loop)`);
    seen.add(ifdAt);
    if (ifdAt < headBytes || ifdAt + countSize > fileBytes) throw corrupt(path, `IFD ${index} is at byte ${ifdAt}, outside the file (${fileBytes} bytes)`);
    const n = bigTiff ? u64(await readAt(fh, ifdAt, 8), 0) : u16(await readAt(fh, ifdAt, 2), 0);
    if (n === 0 || n > LIMITS.maxIfdEntries) throw corrupt(path, `IFD ${index} claims ${n} entries (0 or more than ${LIMITS.maxIfdEntries})`);
    const tableBytes = n * entrySize + inline;
    if (ifdAt + countSize + tableBytes > fileBytes)
      throw corrupt(path, `IFD ${index} (${n} entries at byte ${ifdAt}) runs past the end of the file (${fileBytes} bytes)`);
    const table = await readAt(fh, ifdAt + countSize, tableBytes);
    for (let i = 0; i < n; i++) {
      const e = i * entrySize;
      const tag = u16(table, e);
      const type = u16(table, e + 2);
      const count = bigTiff ? u64(table, e + 4) : u32(table, e + 4);
      const size = TYPE_BYTES[type];
      const name = TAG_NAMES[tag] ?? `tag ${tag}`;
      if (size === undefined) throw corrupt(path, `IFD ${index}: ${name} has unknown field type ${type}`);
      const bytes = count * size;
      if (bytes <= inline) continue;
      const at = bigTiff ? u64(table, e + 12) : u32(table, e + 8);
      if (bytes > LIMITS.maxTagBytes || at + bytes > fileBytes) {
        throw corrupt(path, `IFD ${index}: ${name} claims ${count} values (${bytes} bytes) at byte ${at}, beyond the file's ${fileBytes} bytes`);
      }
    }
    ifdAt = bigTiff ? u64(table, n * entrySize) : u32(table, n * entrySize);
  }
}

async function readAt(fh: FileHandle, at: number, n: number): Promise<Buffer> {
  const b = Buffer.alloc(n);
  await fh.read(b, 0, n, at);
  return b;
}
