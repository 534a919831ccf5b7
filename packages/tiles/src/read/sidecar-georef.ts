import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, extname } from 'node:path';
import { CrsError, crsFromWkt, type Crs } from '@tiandi/geo/crs';
import { TilesError } from '../errors';
import type { GeoTransform } from '../write/geo-tags';
import { crsFromGeoKeys, geoTransformFromTags, type GeoTags } from './georef';

/** Georeferencing found beside an image: GDAL's PAM `.aux.xml`, a world file, a `.prj`. */
export interface SidecarGeoref {
  /** `<image>.aux.xml`: GeoTransform and SRS, which GDAL prefers to the TIFF's own tags. */
  pam?: { file: string; geoTransform?: GeoTransform; crs?: Crs };
  /** `.tfw`, `.tifw` or `.wld`: the geotransform only. */
  world?: { file: string; geoTransform: GeoTransform };
  /** `<image base>.prj`: a WKT CRS (GDAL's GTiff driver ignores it; Tiandi reads it when nothing else gives a CRS). */
  prj?: { file: string; crs: Crs };
}

/** The six numbers of a world file as GDAL's geotransform (the file names the centre of the first pixel). */
export function geoTransformFromWorldFile(text: string, file: string): GeoTransform {
  const v = text.trim().split(/\s+/).slice(0, 6).map(Number);
  if (v.length < 6 || !v.every(Number.isFinite) || v[0] * v[3] - v[1] * v[2] === 0) {
    throw new TilesError(
      'TIANDI_E_NO_GEOREF',
      "世界文件无效 the world file needs six numbers (pixel size x, rotation, rotation, pixel size y, x and y of the first pixel's centre): export it again",
      file,
    );
  }
  const [a, d, b, e, c, f] = v;
  return [c - 0.5 * a - 0.5 * b, a, b, f - 0.5 * d - 0.5 * e, d, e];
}

const XML_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };

/** GeoTransform and SRS of a GDAL PAM file (`<PAMDataset><SRS>…</SRS><GeoTransform>…</GeoTransform>`). */
export function parsePam(xml: string, file: string): SidecarGeoref['pam'] {
  const unescapeXml = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (m) => XML_ENTITIES[m]);
  const gtText = /<GeoTransform>([^<]*)<\/GeoTransform>/.exec(xml)?.[1];
  const srsText = /<SRS[^>]*>([^<]*)<\/SRS>/.exec(xml)?.[1];
  const pam: NonNullable<SidecarGeoref['pam']> = { file };
  if (gtText) {
    const gt = gtText.split(',').map((s) => Number(s.trim()));
    if (gt.length !== 6 || !gt.every(Number.isFinite) || gt[1] * gt[5] - gt[2] * gt[4] === 0) {
      throw new TilesError(
        'TIANDI_E_NO_GEOREF',
        '辅助文件地理参考无效 the .aux.xml GeoTransform is not six finite numbers with a non-zero pixel size: delete or re-export it',
        file,
      );
    }
    pam.geoTransform = gt as unknown as GeoTransform;
  }
  if (srsText && srsText.trim()) pam.crs = crsOfWkt(unescapeXml(srsText), file);
  return pam;
}

function crsOfWkt(wkt: string, file: string): Crs {
  try {
    return crsFromWkt(wkt);
  } catch (err) {
    if (err instanceof CrsError)
      throw new TilesError('TIANDI_E_UNKNOWN_CRS', `无法读取坐标系 cannot read the CRS in ${basename(file)} (${err.message}); pass --crs "EPSG:<code>"`, file);
    throw err;
  }
}

/** Names GDAL tries for an image's world file, in its order: `.tfw`, `.tifw`, `.wld` (as written, then upper case). */
export function worldFileNames(image: string): string[] {
  const ext = extname(image).slice(1);
  const stem = image.slice(0, image.length - ext.length - (ext ? 1 : 0));
  const exts = ext.length >= 2 ? [`${ext[0]}${ext[ext.length - 1]}w`, `${ext}w`, 'wld'] : ['wld'];
  return exts.flatMap((e) => [`${stem}.${e.toLowerCase()}`, `${stem}.${e.toUpperCase()}`]);
}

/** The first of `names` present in the image's folder (one directory listing, so case is exact). */
async function firstPresent(names: string[], listing: Set<string>): Promise<string | undefined> {
  return names.find((n) => listing.has(basename(n)));
}

/** Reads whatever georeferencing lies beside `image`: `.aux.xml`, world file, `.prj`. */
export async function readSidecarGeoref(image: string): Promise<SidecarGeoref> {
  let listing: Set<string>;
  try {
    listing = new Set(await readdir(dirname(image)));
  } catch {
    return {};
  }
  const out: SidecarGeoref = {};
  const pamFile = await firstPresent([`${image}.aux.xml`], listing);
  if (pamFile) out.pam = parsePam(await readFile(pamFile, 'utf8'), pamFile);
  const worldFile = await firstPresent(worldFileNames(image), listing);
  if (worldFile) out.world = { file: worldFile, geoTransform: geoTransformFromWorldFile(await readFile(worldFile, 'utf8'), worldFile) };
  const stem = image.slice(0, image.length - extname(image).length);
  const prjFile = await firstPresent([`${stem}.prj`, `${stem}.PRJ`, `${image}.prj`], listing);
  if (prjFile) out.prj = { file: prjFile, crs: crsOfWkt(await readFile(prjFile, 'utf8'), prjFile) };
  return out;
}

/**
 * The image's geotransform and CRS in GDAL's order of precedence for GeoTIFFs (PAM, then the TIFF's tags, then
 * a world file), the CRS override first of all and a `.prj` last (GDAL's GTiff driver ignores `.prj`).
 * @throws TilesError `TIANDI_E_NO_GEOREF` / `TIANDI_E_UNKNOWN_CRS` naming every place that was looked at.
 */
export async function resolveGeoref(
  path: string,
  tags: GeoTags,
  override?: Crs,
): Promise<{ geoTransform: GeoTransform; crs: Crs; sources: { transform: string; crs: string } }> {
  const side = await readSidecarGeoref(path);
  const hasTags = !!(tags.modelTransformation?.length || (tags.modelTiepoint?.length && tags.modelPixelScale?.length));
  let geoTransform: GeoTransform;
  let transform: string;
  if (side.pam?.geoTransform) [geoTransform, transform] = [side.pam.geoTransform, side.pam.file];
  else if (hasTags || !side.world) [geoTransform, transform] = [geoTransformFromTags(tags, path), 'GeoTIFF tags'];
  else [geoTransform, transform] = [side.world.geoTransform, side.world.file];
  let crs: Crs;
  let crsFrom: string;
  if (override) [crs, crsFrom] = [override, '--crs'];
  else if (side.pam?.crs) [crs, crsFrom] = [side.pam.crs, side.pam.file];
  else if (!side.prj) [crs, crsFrom] = [crsFromGeoKeys(tags.geoKeys, path), 'GeoKeys'];
  else {
    // GeoKeys that declare a CRS win; a .prj stands in for missing or unusable ones.
    try {
      [crs, crsFrom] = [crsFromGeoKeys(tags.geoKeys, path), 'GeoKeys'];
    } catch (err) {
      if ((err as TilesError).code !== 'TIANDI_E_UNKNOWN_CRS') throw err;
      [crs, crsFrom] = [side.prj.crs, side.prj.file];
    }
  }
  return { geoTransform, crs, sources: { transform, crs: crsFrom } };
}
