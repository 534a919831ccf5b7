import { deflate } from 'node:zlib';
import { promisify } from 'node:util';
import type Sharp from 'sharp';

const deflateAsync = promisify(deflate);
// sharp takes about half a second to load: only JPEG output loads it (heatmaps are deflate).
let sharpP: Promise<typeof Sharp> | undefined;

/** Compression the writer can produce. */
export type WriteCompression = 'deflate' | 'jpeg' | 'none';

/** TIFF Compression tag value of each writer compression. */
export const COMPRESSION_TAG: Record<WriteCompression, number> = { none: 1, jpeg: 7, deflate: 8 };

/** Parameters shared by every tile of one file. */
export interface TileCodec {
  compression: WriteCompression;
  bands: number;
  float: boolean;
  tileSize: number;
  jpegQuality: number;
  deflateLevel: number;
}

/** Applies TIFF horizontal differencing (Predictor 2) to 8-bit interleaved rows, in place. */
export function horizontalDifference(tile: Uint8Array, width: number, rows: number, bands: number): void {
  const rowLen = width * bands;
  for (let y = 0; y < rows; y++) {
    const r = y * rowLen;
    for (let i = rowLen - 1; i >= bands; i--) tile[r + i] = (tile[r + i] - tile[r + i - bands]) & 0xff;
  }
}

/** Compresses one full (padded) tile of pixel-interleaved samples into the bytes stored in the TIFF. */
export async function encodeTile(tile: Uint8Array | Float32Array, c: TileCodec): Promise<Buffer> {
  const bytes = Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength);
  switch (c.compression) {
    case 'none':
      return Buffer.from(bytes);
    case 'deflate': {
      if (!c.float) horizontalDifference(tile as Uint8Array, c.tileSize, c.tileSize, c.bands);
      return deflateAsync(bytes, { level: c.deflateLevel });
    }
    case 'jpeg':
      return (await (sharpP ??= import('sharp').then((m) => m.default)))(bytes, { raw: { width: c.tileSize, height: c.tileSize, channels: c.bands as 1 | 3 } })
        .jpeg({ quality: c.jpegQuality, chromaSubsampling: '4:2:0' })
        .toBuffer();
  }
}
