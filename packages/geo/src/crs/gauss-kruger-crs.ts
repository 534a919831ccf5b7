import type { Crs } from './crs';

/** Options of {@link gaussKrugerCrs}. */
export interface GaussKrugerOptions {
  /** Zone width: 3-degree zones (central meridian 3·n) or 6-degree zones (central meridian 6·n − 3). */
  zoneWidthDeg: 3 | 6;
  /** Whether eastings carry the zone number as a prefix (false easting zone·10⁶ + 500 000). */
  zonePrefix: boolean;
}

/** First and last zone of China's CGCS2000 Gauss–Krüger EPSG ranges, per zone width. */
const ZONES = { 3: { first: 25, last: 45 }, 6: { first: 13, last: 23 } } as const;
/** First EPSG code of each CGCS2000 Gauss–Krüger family. */
const FAMILY_BASE = { '6p': 4491, '6n': 4502, '3p': 4513, '3n': 4534 } as const;

/** Zone number of a longitude for a zone width (3° zones are centred on multiples of 3°). */
export function gaussKrugerZone(lonDeg: number, zoneWidthDeg: 3 | 6): number {
  return zoneWidthDeg === 6 ? Math.floor(lonDeg / 6) + 1 : Math.round(lonDeg / 3);
}

/**
 * The CGCS2000 Gauss–Krüger CRS whose zone contains `lon`; EPSG 4491–4554 inside China's zones,
 * a custom definition outside them.
 * @example gaussKrugerCrs(102.3, { zoneWidthDeg: 3, zonePrefix: true }).id // 'EPSG:4522'
 */
export function gaussKrugerCrs(lonDeg: number, options: GaussKrugerOptions): Crs {
  const zone = gaussKrugerZone(lonDeg, options.zoneWidthDeg);
  return gaussKrugerZoneCrs(zone, options);
}

/** The CGCS2000 Gauss–Krüger CRS for a zone number. */
export function gaussKrugerZoneCrs(zone: number, options: GaussKrugerOptions): Crs {
  const w = options.zoneWidthDeg;
  const centralMeridianDeg = w === 6 ? zone * 6 - 3 : zone * 3;
  const falseEastingM = options.zonePrefix ? zone * 1e6 + 500000 : 500000;
  const proj4 = `+proj=tmerc +lat_0=0 +lon_0=${centralMeridianDeg} +k=1 +x_0=${falseEastingM} +y_0=0 ` + `+ellps=GRS80 +units=m +no_defs`;
  const range = ZONES[w];
  const inRange = zone >= range.first && zone <= range.last;
  const base = FAMILY_BASE[`${w}${options.zonePrefix ? 'p' : 'n'}` as keyof typeof FAMILY_BASE];
  const epsg = inRange ? base + zone - range.first : undefined;
  const name = options.zonePrefix ? `CGCS2000 / ${w}-degree Gauss-Kruger zone ${zone}` : `CGCS2000 / ${w}-degree Gauss-Kruger CM ${centralMeridianDeg}E`;
  return Object.freeze({ id: epsg ? `EPSG:${epsg}` : `custom:${proj4}`, epsg, proj4, name, units: 'metre' as const });
}

/** Resolves an EPSG code in 4491–4554 to its Gauss–Krüger family and zone, or undefined. */
export function gaussKrugerFromEpsg(epsg: number): Crs | undefined {
  if (epsg >= 4491 && epsg <= 4501) return gaussKrugerZoneCrs(13 + epsg - 4491, { zoneWidthDeg: 6, zonePrefix: true });
  if (epsg >= 4502 && epsg <= 4512) return gaussKrugerZoneCrs(13 + epsg - 4502, { zoneWidthDeg: 6, zonePrefix: false });
  if (epsg >= 4513 && epsg <= 4533) return gaussKrugerZoneCrs(25 + epsg - 4513, { zoneWidthDeg: 3, zonePrefix: true });
  if (epsg >= 4534 && epsg <= 4554) return gaussKrugerZoneCrs(25 + epsg - 4534, { zoneWidthDeg: 3, zonePrefix: false });
  return undefined;
}
