import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { openGeoTiffSource, type GeoTiffSource } from '../read/open-geotiff-source';

/** What identifies an orthophoto by its content, whatever its file is called. */
export interface ImageDigests {
  /** sha256 of the file's bytes: the same file, copied or renamed. */
  sha256: string;
  /**
   * sha256 of the decoded image: size, bands, georeference and the 8-bit RGB + validity of a fixed 4 × 4
   * grid of 64 × 64-pixel windows at full resolution. The same pixels in another file (tags edited,
   * overviews added, losslessly recompressed) give the same digest.
   */
  pixelSha256: string;
}

/** The grid of sample windows (fractions of the image) the pixel digest reads. */
const GRID = [0.125, 0.375, 0.625, 0.875];
const WINDOW_PX = 64;

/** The sha256 of a file, streamed (multi-gigabyte orthophotos never sit in memory). */
export async function fileSha256(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The full-resolution boxes the pixel digest reads (a scan keeps their blocks so the digest decodes none again). */
export function digestWindows(src: Pick<GeoTiffSource, 'width' | 'height'>): [number, number, number, number][] {
  const w = Math.min(WINDOW_PX, src.width),
    h = Math.min(WINDOW_PX, src.height);
  const boxes: [number, number, number, number][] = [];
  for (const fy of GRID) {
    for (const fx of GRID) {
      const x0 = Math.max(0, Math.min(src.width - w, Math.floor(fx * src.width - w / 2)));
      const y0 = Math.max(0, Math.min(src.height - h, Math.floor(fy * src.height - h / 2)));
      boxes.push([x0, y0, x0 + w, y0 + h]);
    }
  }
  return boxes;
}

/** The pixel digest of an open source (see {@link ImageDigests.pixelSha256}). */
export async function pixelSha256(src: GeoTiffSource, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const gt = src.geoTransform.map((v) => Number(v.toPrecision(12)));
  hash.update(JSON.stringify({ w: src.width, h: src.height, bands: src.bands, crs: src.crs.epsg ? src.crs.id : src.crs.proj4, gt }));
  for (const box of digestWindows(src)) {
    const r = await src.readWindow(box, box[2] - box[0], box[3] - box[1], signal);
    hash.update(r.rgb).update(r.valid);
  }
  return hash.digest('hex');
}

/**
 * Both content digests of an orthophoto: how the workspace recognises imagery it already holds, under
 * any name, before scanning it again. Pass an already open `src` to save opening the file twice.
 */
export async function imageDigests(path: string, opts: { src?: GeoTiffSource; signal?: AbortSignal } = {}): Promise<ImageDigests> {
  const src = opts.src ?? (await openGeoTiffSource(path, { signal: opts.signal }));
  try {
    return { sha256: await fileSha256(path, opts.signal), pixelSha256: await pixelSha256(src, opts.signal) };
  } finally {
    if (!opts.src) await src.close();
  }
}
