import { getCrs, transformer, type Crs } from '@tiandi/geo';
import { openGeoTiffSource } from '@tiandi/tiles/node';
import { SynthError, throwIfAborted } from '../errors';
import { resampleBox } from './resample-box';
import { metresPerDegreeLon } from '../scene-georef';

/** A GeoTIFF resampled to a coarser GSD, held in memory. */
export interface ResampledImage {
  rgb: Uint8Array;
  width: number;
  height: number;
  /** Source pixels per output pixel. */
  factor: number;
  /** Source ground sample distance in metres (measured at the centre). */
  srcGsdM: number;
  crs: Crs;
  /** Geotransform of the full-resolution source. */
  geoTransform: [number, number, number, number, number, number];
}

/**
 * Reads an RGB GeoTIFF band by band through the tiles package's reader (its checks, codecs and georeferencing)
 * and area-averages it to `gsdM` (metres per pixel on the ground), so only one source band and the (much smaller)
 * output are in memory.
 * @throws TilesError `TIANDI_E_UNKNOWN_CRS` when the image declares no CRS the registry knows (and the tiles
 * reader's codes for unreadable files); SynthError `TIANDI_E_BAD_CHIP_OPTIONS` when it is coarser than `gsdM`.
 */
export async function readResampled(path: string, gsdM: number, signal?: AbortSignal): Promise<ResampledImage> {
  const src = await openGeoTiffSource(path, { signal, cacheBytes: 16 << 20 });
  try {
    const { width: W, height: H, crs } = src;
    const [ox, rx, , oy, , ry] = src.geoTransform;
    // Ground metres per pixel, measured along a row at the image centre (not CRS units: Web Mercator differs).
    const toWgs = transformer(crs, getCrs(4326));
    const pa = toWgs.forward([ox + (W / 2) * rx, oy + (H / 2) * ry]),
      pb = toWgs.forward([ox + (W / 2 + 100) * rx, oy + (H / 2) * ry]);
    const srcGsdM = Math.hypot((pb[0] - pa[0]) * metresPerDegreeLon(pa[1]), (pb[1] - pa[1]) * 110_574) / 100;
    const f = gsdM / srcGsdM;
    if (f < 1 - 1e-6) throw new SynthError('TIANDI_E_BAD_CHIP_OPTIONS', `影像比目标粗 image GSD ${srcGsdM.toFixed(3)} m is coarser than ${gsdM} m`);
    const w = Math.floor(W / f),
      h = Math.floor(H / f);
    const rgb = new Uint8Array(w * h * 3);
    const bandOut = Math.max(1, Math.floor(512 / f));
    for (let r0 = 0; r0 < h; r0 += bandOut) {
      throwIfAborted(signal);
      const rows = Math.min(bandOut, h - r0);
      const s0 = Math.floor(r0 * f),
        s1 = Math.min(H, Math.ceil((r0 + rows) * f));
      // Full resolution (one source pixel per output pixel): the box average below is the only resampling.
      const band = (await src.readWindow([0, s0, W, s1], W, s1 - s0, signal)).rgb;
      resampleBox(band, W, s0, s1 - s0, f, rgb.subarray(r0 * w * 3), w, r0, rows);
    }
    return { rgb, width: w, height: h, factor: f, srcGsdM, crs, geoTransform: [ox, rx, 0, oy, 0, ry] };
  } finally {
    await src.close();
  }
}
