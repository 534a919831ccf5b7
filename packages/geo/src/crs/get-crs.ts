import type { Crs } from './crs';
import { CrsError } from './errors';
import { gaussKrugerFromEpsg } from './gauss-kruger-crs';
import { crsFromProj4 } from './crs-from-proj4';

const FIXED: Record<number, Omit<Crs, 'id' | 'epsg'>> = {
  4326: { proj4: '+proj=longlat +datum=WGS84 +no_defs', name: 'WGS 84', units: 'degree' },
  4490: { proj4: '+proj=longlat +ellps=GRS80 +no_defs', name: 'China Geodetic Coordinate System 2000', units: 'degree' },
  3857: {
    proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
    name: 'WGS 84 / Pseudo-Mercator',
    units: 'metre',
  },
};

/** Every EPSG code the registry knows, as inclusive ranges (for messages and tests). */
export const SUPPORTED_EPSG = '4326, 4490, 3857, 32601–32660, 32701–32760, 4491–4554';

/**
 * Looks up a CRS by EPSG code (`4522`, `'EPSG:4522'`) or takes a proj4 string (`'+proj=…'`).
 * CGCS2000 is treated as equal to WGS 84 (no datum shift), as everywhere in Tiandi.
 * @throws CrsError `TIANDI_E_UNKNOWN_CRS` for codes outside the registry.
 * @example getCrs(32650).proj4 // '+proj=utm +zone=50 +datum=WGS84 +units=m +no_defs'
 */
export function getCrs(code: number | string): Crs {
  if (typeof code === 'string') {
    const s = code.trim();
    if (s.startsWith('+') || s.startsWith('proj=')) return crsFromProj4(s);
    const m = /^(?:EPSG:)?\s*(\d+)$/i.exec(s);
    if (!m) {
      throw new CrsError(
        'TIANDI_E_UNKNOWN_CRS',
        `无法识别的坐标系 unknown CRS '${code}': give an EPSG code (${SUPPORTED_EPSG}) or a proj4 string`,
        code,
      );
    }
    return getCrs(Number(m[1]));
  }
  const epsg = code;
  const fixed = FIXED[epsg];
  if (fixed) return Object.freeze({ id: `EPSG:${epsg}`, epsg, ...fixed });
  if ((epsg >= 32601 && epsg <= 32660) || (epsg >= 32701 && epsg <= 32760)) {
    const zone = epsg % 100;
    const south = epsg >= 32701;
    return Object.freeze({
      id: `EPSG:${epsg}`,
      epsg,
      proj4: `+proj=utm +zone=${zone}${south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`,
      name: `WGS 84 / UTM zone ${zone}${south ? 'S' : 'N'}`,
      units: 'metre' as const,
    });
  }
  const gk = gaussKrugerFromEpsg(epsg);
  if (gk) return gk;
  throw new CrsError(
    'TIANDI_E_UNKNOWN_CRS',
    `不支持的坐标系 EPSG:${epsg} is not in Tiandi's registry (${SUPPORTED_EPSG}); pass its proj4 string with --crs "+proj=…"`,
    String(code),
  );
}
