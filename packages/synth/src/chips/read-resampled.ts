import { fromFile } from 'geotiff';
import { crsFromGeoKeys, getCrs, transformer, type Crs } from '@tiandi/geo';
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
 * Reads an RGB GeoTIFF band by band and area-averages it to `gsdM` (metres per pixel on the ground),
 * so only one source band and the (much smaller) output are in memory.
 * @throws SynthError `TIANDI_E_BAD_CHIP_OPTIONS` when the image has no EPSG code or is coarser than `gsdM`.
 */
export async function readResampled(path: string, gsdM: number, signal?: AbortSignal): Promise<ResampledImage> {
  const tiff = await fromFile(path);
  const img = await tiff.getImage();
  const W = img.getWidth(), H = img.getHeight();
  const keys = img.getGeoKeys() as Record<string, unknown> | null;
  if (!keys) throw new SynthError('TIANDI_E_BAD_CHIP_OPTIONS', `影像无坐标系 ${path} has no GeoKeys`);
  let crs;
  try {
    crs = crsFromGeoKeys(keys); // any EPSG code or user-defined GeoKeys, as the scanner reads them
  } catch (err) {
    throw new SynthError('TIANDI_E_BAD_CHIP_OPTIONS', `影像坐标系无法读取 ${path}: ${(err as Error).message}`);
  }
  const [ox, oy] = img.getOrigin();
  const [rx, ry] = img.getResolution();
  // Ground metres per pixel, measured along a row at the image centre (not CRS units: Web Mercator differs).
  const toWgs = transformer(crs, getCrs(4326));
  const pa = toWgs.forward([ox + (W / 2) * rx, oy + (H / 2) * ry]), pb = toWgs.forward([ox + (W / 2 + 100) * rx, oy + (H / 2) * ry]);
  const srcGsdM = Math.hypot((pb[0] - pa[0]) * metresPerDegreeLon(pa[1]), (pb[1] - pa[1]) * 110_574) / 100;
  const f = gsdM / srcGsdM;
  if (f < 1 - 1e-6) throw new SynthError('TIANDI_E_BAD_CHIP_OPTIONS', `影像比目标粗 image GSD ${srcGsdM.toFixed(3)} m is coarser than ${gsdM} m`);
  const w = Math.floor(W / f), h = Math.floor(H / f);
  const rgb = new Uint8Array(w * h * 3);
  const bandOut = Math.max(1, Math.floor(512 / f));
  for (let r0 = 0; r0 < h; r0 += bandOut) {
    throwIfAborted(signal);
    const rows = Math.min(bandOut, h - r0);
    const s0 = Math.floor(r0 * f), s1 = Math.min(H, Math.ceil((r0 + rows) * f));
    const band = (await img.readRGB({ window: [0, s0, W, s1], interleave: true })) as unknown as Uint8Array;
    resampleBox(band, W, s0, s1 - s0, f, rgb.subarray(r0 * w * 3), w, r0, rows);
  }
  return { rgb, width: w, height: h, factor: f, srcGsdM, crs, geoTransform: [ox, rx, 0, oy, 0, ry] };
}
