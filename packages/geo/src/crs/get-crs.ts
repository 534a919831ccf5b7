import type { Crs } from './crs';
import { CrsError } from './errors';
import { gaussKrugerFromEpsg } from './gauss-kruger-crs';
import { crsFromProj4 } from './crs-from-proj4';
import { epsgEntry, type EpsgEntry } from './epsg-dataset';
import { datumShift } from './datum-shift';

const FIXED: Record<number, Omit<Crs, 'id' | 'epsg'>> = {
  4326: { proj4: '+proj=longlat +datum=WGS84 +no_defs', name: 'WGS 84', units: 'degree' },
  4490: { proj4: '+proj=longlat +ellps=GRS80 +no_defs', name: 'China Geodetic Coordinate System 2000', units: 'degree' },
  3857: {
    proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
    name: 'WGS 84 / Pseudo-Mercator',
    units: 'metre',
  },
};

/** What the registry covers, for messages and docs. */
export const SUPPORTED_EPSG = 'every geographic, projected and compound CRS of the EPSG dataset (epsg-index)';

/**
 * Looks up a CRS by EPSG code (`4522`, `'EPSG:4522'`) or takes a proj4 string (`'+proj=…'`).
 * Codes come from the EPSG dataset (npm `epsg-index`) with the datum shift PROJ/GDAL apply; a compound CRS
 * resolves to its horizontal part. CGCS2000 is treated as equal to WGS 84 (no datum shift), as PROJ does.
 * @throws CrsError `TIANDI_E_UNKNOWN_CRS` for codes that are not horizontal CRSs in the dataset.
 * @example getCrs(28992).name // 'Amersfoort / RD New'
 */
export function getCrs(code: number | string): Crs {
  const crs = lookUp(code);
  if (crs.epsg === undefined || crs.areaOfUse) return crs;
  const e = epsgEntry(crs.epsg);
  return e ? Object.freeze({ ...crs, areaOfUse: areaOf(e) }) : crs;
}

function lookUp(code: number | string): Crs {
  if (typeof code === 'string') {
    const s = code.trim();
    if (s.startsWith('+') || s.startsWith('proj=')) return crsFromProj4(s);
    const m = /^(?:EPSG:)?\s*(\d+)$/i.exec(s);
    if (!m) {
      throw new CrsError(
        'TIANDI_E_UNKNOWN_CRS',
        `无法识别的坐标系 unknown CRS '${code}': give an EPSG code (EPSG:4522, 28992 …) or a proj4 string (+proj=…)`,
        code,
      );
    }
    return lookUp(Number(m[1]));
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
  return crsFromEpsgEntry(epsg);
}

/** [west, south, east, north] from the dataset's [north, west, south, east]. */
function areaOf(e: EpsgEntry): Crs['areaOfUse'] {
  const b = e.bbox;
  return b && b.length === 4 && b.every(Number.isFinite) ? [b[1], b[2], b[3], b[0]] : undefined;
}

function unknown(epsg: number, why: string): CrsError {
  return new CrsError(
    'TIANDI_E_UNKNOWN_CRS',
    `不支持的坐标系 EPSG:${epsg} ${why}; pass the horizontal CRS with --crs "EPSG:<code>" or "+proj=…"`,
    String(epsg),
  );
}

/** A CRS from the EPSG dataset: geographic, projected, or the horizontal part of a compound CRS. */
function crsFromEpsgEntry(epsg: number): Crs {
  const e = epsgEntry(epsg);
  if (!e) throw unknown(epsg, 'is not a CRS in the EPSG dataset');
  if (e.kind === 'CRS-VERTCRS') throw unknown(epsg, `(${e.name}) is a vertical CRS: it gives heights, not positions`);
  if (!['CRS-GEOGCRS', 'CRS-PROJCRS', 'CRS-COMPOUNDCRS', 'CRS-GEOG2DCRS'].includes(e.kind) || !e.proj4) {
    throw unknown(epsg, `(${e.name}, ${e.kind.replace('CRS-', '')}) has no horizontal definition Tiandi can use`);
  }
  // A compound CRS's proj4 is its horizontal part plus vertical units or a geoid grid: positions need only the former.
  const horizontal = e.proj4.replace(/\s*\+(vunits|geoidgrids|geoid_crs)=\S+/g, '');
  if (!/\+proj=/.test(horizontal)) throw unknown(epsg, `(${e.name}) has no horizontal part`);
  const shift = datumShift(horizontal, `EPSG:${epsg} ${e.name}`);
  let base: Crs;
  try {
    base = crsFromProj4(shift.proj4, e.name);
  } catch {
    throw unknown(epsg, `(${e.name}) uses a projection proj4js cannot compute`);
  }
  return Object.freeze({
    id: `EPSG:${epsg}`,
    epsg,
    proj4: base.proj4,
    name: e.name,
    units: base.units,
    areaOfUse: areaOf(e),
    ...(shift.note ? { note: shift.note } : {}),
  });
}
