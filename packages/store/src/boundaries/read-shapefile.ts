import { readFile } from 'node:fs/promises';
import { open } from 'shapefile';
import { StoreError } from '../errors';
import type { BoundaryFeature } from './boundary-file';

/** `.cpg` code-page names as ArcGIS and QGIS write them → TextDecoder labels. */
function encodingOfCpg(cpg: string): string {
  const s = cpg
    .trim()
    .toLowerCase()
    .replace(/^ansi\s*/, '');
  if (s === '936' || s === 'cp936' || s === 'gb2312' || s === 'gbk') return 'gbk';
  if (s === '65001' || s === 'utf8' || s === 'utf-8') return 'utf-8';
  if (/^\d+$/.test(s)) return `windows-${s}`;
  return s;
}

/** DBF language driver ids GDAL maps to a code page (byte 29 of the header), for files without a `.cpg`. */
const LDID: Record<number, string> = { 0x4d: 'gbk', 0x7a: 'gbk', 0x57: 'windows-1252', 0x03: 'windows-1252', 0x01: 'ibm437' };

/**
 * The attribute encoding of a shapefile: `.cpg` first (as GDAL), else the DBF's language driver id, else UTF-8
 * when the text decodes as UTF-8 and GBK when it does not (Chinese offices' files without a `.cpg` are GBK).
 */
export function shapefileEncoding(dbf: Uint8Array, cpg: string | undefined, override?: string): { encoding: string; from: string } {
  if (override) return { encoding: encodingOfCpg(override), from: '--encoding' };
  if (cpg?.trim()) return { encoding: encodingOfCpg(cpg), from: '.cpg' };
  const ldid = LDID[dbf[29]];
  if (ldid) return { encoding: ldid, from: 'DBF language driver id' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf);
    return { encoding: 'utf-8', from: 'text decodes as UTF-8' };
  } catch {
    return { encoding: 'gbk', from: 'text is not UTF-8' };
  }
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  return readFile(file).catch(() => undefined);
}

/** Reads a `.shp` with its `.dbf`, `.cpg` and `.prj` (same base name, any case of extension). */
export async function readShapefile(
  shpPath: string,
  encodingOverride?: string,
): Promise<{ features: BoundaryFeature[]; fields: string[]; prj?: string; encoding: string; encodingFrom: string }> {
  const base = shpPath.replace(/\.shp$/i, '');
  const sibling = async (ext: string) => (await readOptional(`${base}.${ext}`)) ?? (await readOptional(`${base}.${ext.toUpperCase()}`));
  const shp = await readOptional(shpPath);
  if (!shp) throw new StoreError('TIANDI_E_INPUT', '无法读取 cannot read the .shp file', shpPath);
  const dbf = await sibling('dbf');
  if (!dbf)
    throw new StoreError(
      'TIANDI_E_INPUT',
      '缺少 .dbf 属性表 the shapefile has no .dbf beside it (zone ids and names live there): copy all its files (.shp .shx .dbf .prj .cpg)',
      shpPath,
    );
  const { encoding, from } = shapefileEncoding(dbf, (await sibling('cpg'))?.toString('latin1'), encodingOverride);
  try {
    new TextDecoder(encoding);
  } catch {
    throw new StoreError('TIANDI_E_INPUT', `未知编码 unknown text encoding '${encoding}' (from ${from}): pass --encoding gbk or utf-8`, shpPath);
  }
  const features: BoundaryFeature[] = [];
  try {
    const src = await open(new Uint8Array(shp), new Uint8Array(dbf), { encoding });
    for (let r = await src.read(); !r.done; r = await src.read()) features.push({ geometry: r.value.geometry, properties: r.value.properties ?? {} });
  } catch (err) {
    throw new StoreError('TIANDI_E_INPUT', `无法解析 shapefile cannot parse the shapefile (${(err as Error).message}): export it again`, shpPath);
  }
  return { features, fields: dbfFields(dbf, encoding), prj: (await sibling('prj'))?.toString('utf8'), encoding, encodingFrom: from };
}

/** Field names from a DBF header (32-byte descriptors after the 32-byte header, ended by 0x0D). */
function dbfFields(dbf: Buffer, encoding: string): string[] {
  const out: string[] = [];
  const dec = new TextDecoder(encoding);
  for (let o = 32; o + 32 <= dbf.length && dbf[o] !== 0x0d; o += 32) {
    const end = dbf.indexOf(0, o);
    out.push(dec.decode(dbf.subarray(o, end >= o && end < o + 11 ? end : o + 11)).trim());
  }
  return out;
}
