import type { Crs } from './crs';
import { CrsError } from './errors';
import { crsFromProj4 } from './crs-from-proj4';
import { getCrs } from './get-crs';

/** The EPSG code the outermost CRS of a WKT (1 or 2) names, if it names one: its AUTHORITY/ID comes last. */
function outerEpsg(wkt: string): number | undefined {
  const m = /(?:AUTHORITY\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]|ID\[\s*"EPSG"\s*,\s*(\d+)\s*\])\s*\]\s*$/i.exec(wkt);
  return m ? Number(m[1] ?? m[2]) : undefined;
}

/** The horizontal CRS inside a WKT1 compound CRS (COMPD_CS[name, horizontal, vertical]). */
function horizontalOfCompound(wkt: string): string | undefined {
  if (!/^\s*COMPD_CS\[/i.test(wkt)) return undefined;
  const start = wkt.search(/(PROJCS|GEOGCS)\[/i);
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < wkt.length; i++) {
    if (wkt[i] === '[') depth++;
    else if (wkt[i] === ']' && --depth === 0) return wkt.slice(start, i + 1);
  }
  return undefined;
}

/**
 * A CRS from WKT (a `.prj` beside an image, the SRS of a GDAL `.aux.xml`, a GeoPackage's srs table), OGC or
 * ESRI flavour: the EPSG code it names when there is one (so the datum shift is PROJ's), else the definition
 * itself through proj4js; a compound CRS gives its horizontal part.
 * @throws CrsError `TIANDI_E_BAD_PROJ4` when proj4js cannot read it either.
 * @example crsFromWkt(readFileSync('ortho.prj', 'utf8')).id // 'EPSG:4522' or 'custom:PROJCS[…'
 */
export function crsFromWkt(wkt: string, name?: string): Crs {
  const text = wkt.replace(/^\uFEFF/, '').trim();
  const inner = horizontalOfCompound(text);
  if (inner) return crsFromWkt(inner, name);
  const code = outerEpsg(text);
  if (code) {
    try {
      return getCrs(code);
    } catch (err) {
      if (!(err instanceof CrsError)) throw err;
    }
  }
  const crs = crsFromProj4(text, name ?? /^\s*\w+\[\s*"([^"]*)"/.exec(text)?.[1]);
  const note = noShiftNote(text, crs.name);
  return note ? Object.freeze({ ...crs, note }) : crs;
}

/** A WKT on an ellipsoid other than WGS 84's / GRS 80's with no TOWGS84: no shift will be applied. */
function noShiftNote(wkt: string, name: string): string | undefined {
  if (/TOWGS84\[/i.test(wkt)) return undefined;
  const a = Number(/SPHEROID\[\s*"[^"]*"\s*,\s*([\d.]+)/i.exec(wkt)?.[1] ?? /ELLIPSOID\[\s*"[^"]*"\s*,\s*([\d.]+)/i.exec(wkt)?.[1]);
  if (!Number.isFinite(a) || Math.abs(a - 6378137) < 0.5) return undefined;
  return `${name}: 无已知的 WGS 84 转换参数 the definition gives no datum shift to WGS 84 (no TOWGS84, and EPSG publishes none for Xian 1980 or Beijing 1954 nationwide); coordinates are taken as WGS 84 (as GDAL/PROJ do), which can be off by tens of metres or more`;
}
