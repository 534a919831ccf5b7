import type { Crs } from './crs';
import { CrsError } from './errors';
import { crsFromProj4 } from './crs-from-proj4';
import { datumShift } from './datum-shift';
import { getCrs } from './get-crs';

/** GeoKeys as geotiff.js returns them: key name → number, string or array-like of numbers. */
export type GeoKeys = Record<string, unknown>;

const USER_DEFINED = 32767;

/** EPSG ellipsoids by code: [semi-major axis m, inverse flattening]. Those GDAL writes for user-defined datums. */
const ELLIPSOIDS: Record<number, [number, number]> = {
  7001: [6377563.396, 299.3249646], // Airy 1830
  7003: [6378160, 298.25], // Australian National Spheroid
  7004: [6377397.155, 299.1528128], // Bessel 1841
  7008: [6378206.4, 294.978698213898], // Clarke 1866
  7011: [6378249.2, 293.466021293627], // Clarke 1880 (IGN)
  7012: [6378249.145, 293.465], // Clarke 1880 (RGS)
  7015: [6377276.345, 300.8017], // Everest 1830 (1937 adjustment)
  7019: [6378137, 298.257222101], // GRS 1980 (CGCS2000's is the same to 0.1 mm)
  7022: [6378388, 297], // International 1924
  7024: [6378245, 298.3], // Krassowsky 1940 (Beijing 1954)
  7043: [6378135, 298.26], // WGS 72
  7044: [6377301.243, 300.8017255], // Everest 1830 (1962)
  7030: [6378137, 298.257223563], // WGS 84
  7049: [6378140, 298.257], // IAU 1976 (Xian 1980)
};

/** Angular unit codes → degrees per unit. */
const ANGULAR: Record<number, number> = { 9101: 180 / Math.PI, 9102: 1, 9105: 0.9, 9122: 1 };
/** Linear unit codes → metres per unit. */
const LINEAR: Record<number, number> = { 9001: 1, 9002: 0.3048, 9003: 1200 / 3937, 9036: 1000 };

function num(keys: GeoKeys, name: string): number | undefined {
  const v = keys[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function numbers(keys: GeoKeys, name: string): number[] | undefined {
  const v = keys[name] as ArrayLike<number> | Record<string, number> | undefined;
  if (!v || typeof v !== 'object') return undefined;
  const arr =
    'length' in v
      ? Array.from(v as ArrayLike<number>)
      : Object.keys(v)
          .sort((a, b) => +a - +b)
          .map((k) => (v as Record<string, number>)[k]);
  return arr.length ? arr.map(Number) : undefined;
}

function coded(keys: GeoKeys, name: string): number | undefined {
  const v = num(keys, name);
  return v !== undefined && v !== 0 && v !== USER_DEFINED ? v : undefined;
}

function refuse(why: string): CrsError {
  return new CrsError(
    'TIANDI_E_UNKNOWN_CRS',
    `无法解析自定义坐标系 cannot read the file's user-defined CRS: ${why}; pass it with --crs "<proj4 string>" (gdalsrsinfo -o proj4 <file> prints it)`,
  );
}

/** The proj4 tokens of a geographic CRS that say its datum: ellipsoid, shift, prime meridian. */
function datumTokens(def: string): string {
  return (def.match(/\+(ellps|a|b|rf|towgs84|datum|nadgrids|pm)=\S+/g) ?? []).join(' ');
}

/** The datum part of a user-defined CRS as proj4 tokens, as GDAL reads it from the Geog* keys. */
function geographicPart(keys: GeoKeys): string {
  const geog = coded(keys, 'GeographicTypeGeoKey');
  if (geog) return datumTokens(getCrs(geog).proj4);
  const parts: string[] = [];
  const datum = coded(keys, 'GeogGeodeticDatumGeoKey');
  const ellps = coded(keys, 'GeogEllipsoidGeoKey');
  if (datum && !ellps) {
    // EPSG numbers a datum 6xxx and its geographic CRS 4xxx; the CRS carries the datum's shift to WGS 84.
    try {
      parts.push(datumTokens(getCrs(datum - 2000).proj4));
    } catch {
      throw refuse(`datum EPSG:${datum} is not in the EPSG dataset`);
    }
  } else if (ellps) {
    const e = ELLIPSOIDS[ellps];
    if (!e) throw refuse(`ellipsoid EPSG:${ellps} is not one Tiandi knows`);
    parts.push(`+a=${e[0]} +rf=${e[1]}`);
  } else {
    const a = num(keys, 'GeogSemiMajorAxisGeoKey');
    const rf = num(keys, 'GeogInvFlatteningGeoKey');
    const b = num(keys, 'GeogSemiMinorAxisGeoKey');
    if (!a) throw refuse('no ellipsoid (GeogEllipsoidGeoKey or GeogSemiMajorAxisGeoKey)');
    parts.push(rf ? `+a=${a} +rf=${rf}` : b ? `+a=${a} +b=${b}` : `+a=${a} +b=${a}`);
  }
  const towgs = numbers(keys, 'GeogTOWGS84GeoKey');
  if (towgs && (towgs.length === 3 || towgs.length === 7)) parts.push(`+towgs84=${towgs.join(',')}`);
  const pm = num(keys, 'GeogPrimeMeridianLongGeoKey');
  if (pm) parts.push(`+pm=${pm * angularDeg(keys)}`);
  return parts.join(' ');
}

function angularDeg(keys: GeoKeys): number {
  const u = num(keys, 'GeogAngularUnitsGeoKey') ?? 9102;
  const k = ANGULAR[u];
  if (k === undefined) throw refuse(`angular unit EPSG:${u} is not degrees, radians or grads`);
  return k;
}

/** Metres per linear unit of the projected CRS, and its proj4 unit token. */
function linearUnit(keys: GeoKeys): { m: number; token: string } {
  const u = num(keys, 'ProjLinearUnitsGeoKey') ?? 9001;
  const m = u === USER_DEFINED ? num(keys, 'ProjLinearUnitSizeGeoKey') : LINEAR[u];
  if (!m) throw refuse(`linear unit EPSG:${u} is unknown`);
  return { m, token: m === 1 ? '+units=m' : u === 9003 ? '+units=us-ft' : u === 9002 ? '+units=ft' : `+to_meter=${m}` };
}

/**
 * The proj4 projection of a user-defined projected CRS from ProjCoordTransGeoKey and its parameters
 * (GeoTIFF 1.0 §6.3.3.3), falling back between natural, false and centre origins as GDAL does.
 * long: one line per projection method GeoTIFF defines (26); the table reads best whole.
 */
function projectionPart(keys: GeoKeys): string {
  const conv = coded(keys, 'ProjectionGeoKey');
  if (conv && conv >= 16001 && conv <= 16060) return `+proj=utm +zone=${conv - 16000}`;
  if (conv && conv >= 16101 && conv <= 16160) return `+proj=utm +zone=${conv - 16100} +south`;
  const ct = num(keys, 'ProjCoordTransGeoKey');
  if (ct === undefined) throw refuse('no ProjCoordTransGeoKey (projection method)');
  const deg = angularDeg(keys);
  const { m } = linearUnit(keys);
  const ang = (...names: string[]) => {
    for (const n of names) {
      const v = num(keys, `Proj${n}GeoKey`);
      if (v !== undefined) return v * deg;
    }
    return 0;
  };
  const lin = (...names: string[]) => {
    for (const n of names) {
      const v = num(keys, `Proj${n}GeoKey`);
      if (v !== undefined) return v * m; // proj4's +x_0/+y_0 are always metres
    }
    return 0;
  };
  const scale = (...names: string[]) => {
    for (const n of names) {
      const v = num(keys, `Proj${n}GeoKey`);
      if (v !== undefined) return v;
    }
    return 1;
  };
  const lon0 = () => ang('NatOriginLong', 'FalseOriginLong', 'CenterLong', 'StraightVertPoleLong');
  const lat0 = () => ang('NatOriginLat', 'FalseOriginLat', 'CenterLat');
  const fe = () => `+x_0=${lin('FalseEasting', 'FalseOriginEasting', 'CenterEasting')} +y_0=${lin('FalseNorthing', 'FalseOriginNorthing', 'CenterNorthing')}`;
  const k = () => scale('ScaleAtNatOrigin', 'ScaleAtCenter');
  const sp = () => `+lat_1=${ang('StdParallel1')} +lat_2=${ang('StdParallel2')}`;
  switch (ct) {
    case 1:
      return `+proj=tmerc +lat_0=${lat0()} +lon_0=${lon0()} +k=${k()} ${fe()}`;
    case 2:
    case 27:
      return `+proj=tmerc +axis=wsu +lat_0=${lat0()} +lon_0=${lon0()} +k=${k()} ${fe()}`;
    case 3:
      return `+proj=omerc +no_uoff +lat_0=${ang('CenterLat', 'NatOriginLat')} +lonc=${ang('CenterLong', 'NatOriginLong')} +alpha=${ang('AzimuthAngle')} +gamma=${ang('RectifiedGridAngle', 'AzimuthAngle')} +k=${k()} ${fe()}`;
    case 7:
      return num(keys, 'ProjStdParallel1GeoKey') !== undefined
        ? `+proj=merc +lat_ts=${ang('StdParallel1')} +lon_0=${lon0()} ${fe()}`
        : `+proj=merc +lon_0=${lon0()} +k=${k()} ${fe()}`;
    case 8:
      return `+proj=lcc ${sp()} +lat_0=${ang('FalseOriginLat', 'NatOriginLat')} +lon_0=${ang('FalseOriginLong', 'NatOriginLong')} ${fe()}`;
    case 9:
      return `+proj=lcc +lat_1=${lat0()} +lat_0=${lat0()} +lon_0=${lon0()} +k_0=${k()} ${fe()}`;
    case 10:
      return `+proj=laea +lat_0=${ang('CenterLat', 'NatOriginLat')} +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 11:
      return `+proj=aea ${sp()} +lat_0=${lat0()} +lon_0=${lon0()} ${fe()}`;
    case 12:
      return `+proj=aeqd +lat_0=${ang('CenterLat', 'NatOriginLat')} +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 13:
      return `+proj=eqdc ${sp()} +lat_0=${lat0()} +lon_0=${lon0()} ${fe()}`;
    case 14:
      return `+proj=stere +lat_0=${ang('CenterLat', 'NatOriginLat')} +lon_0=${ang('CenterLong', 'NatOriginLong')} +k=${k()} ${fe()}`;
    case 15: {
      const latTs = ang('NatOriginLat', 'StdParallel1');
      return `+proj=stere +lat_0=${latTs < 0 ? -90 : 90} +lat_ts=${latTs} +lon_0=${ang('StraightVertPoleLong', 'NatOriginLong')} +k_0=${k()} ${fe()}`;
    }
    case 16:
      return `+proj=sterea +lat_0=${lat0()} +lon_0=${lon0()} +k=${k()} ${fe()}`;
    case 17:
      return `+proj=eqc +lat_ts=${ang('StdParallel1', 'CenterLat')} +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 18:
      return `+proj=cass +lat_0=${lat0()} +lon_0=${lon0()} ${fe()}`;
    case 19:
      return `+proj=gnom +lat_0=${ang('CenterLat', 'NatOriginLat')} +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 20:
      return `+proj=mill +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 21:
      return `+proj=ortho +lat_0=${ang('CenterLat', 'NatOriginLat')} +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 22:
      return `+proj=poly +lat_0=${lat0()} +lon_0=${lon0()} ${fe()}`;
    case 23:
      return `+proj=robin +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 24:
      return `+proj=sinu +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 25:
      return `+proj=vandg +lon_0=${ang('CenterLong', 'NatOriginLong')} ${fe()}`;
    case 26:
      return `+proj=nzmg +lat_0=${lat0()} +lon_0=${lon0()} ${fe()}`;
    default:
      throw refuse(`projection method ProjCoordTransGeoKey=${ct} is not one GeoTIFF defines`);
  }
}

/**
 * The CRS a GeoTIFF's GeoKeys declare, as GDAL reads them: an EPSG code when there is one (a compound CRS's
 * vertical key is ignored: positions need only the horizontal CRS), else the user-defined projection
 * (ProjCoordTransGeoKey and its parameters) on a user-defined or coded datum, ellipsoid and TOWGS84.
 * @throws CrsError `TIANDI_E_UNKNOWN_CRS` when the keys declare no CRS or one that cannot be built.
 * @example crsFromGeoKeys({ GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 4522, VerticalCSTypeGeoKey: 5773 }).id // 'EPSG:4522'
 */
export function crsFromGeoKeys(keys: GeoKeys): Crs {
  const model = num(keys, 'GTModelTypeGeoKey');
  const projected = coded(keys, 'ProjectedCSTypeGeoKey');
  if (projected) return getCrs(projected);
  const geographic = coded(keys, 'GeographicTypeGeoKey');
  const userProjected = num(keys, 'ProjectedCSTypeGeoKey') === USER_DEFINED || (model === 1 && num(keys, 'ProjCoordTransGeoKey') !== undefined);
  if (!userProjected && geographic && !numbers(keys, 'GeogTOWGS84GeoKey')) return getCrs(geographic);
  if (model === 3) throw refuse('geocentric (GTModelTypeGeoKey = 3) rasters are not map images');
  const datum = geographicPart(keys);
  const def = userProjected ? `${projectionPart(keys)} ${datum} ${linearUnit(keys).token} +no_defs` : `+proj=longlat ${datum} +no_defs`;
  const citation = typeof keys.GTCitationGeoKey === 'string' && keys.GTCitationGeoKey !== 'unknown' ? keys.GTCitationGeoKey : undefined;
  const name = citation ?? (userProjected ? 'user-defined projected CRS' : 'user-defined geographic CRS');
  const shift = datumShift(def, name);
  const crs = crsFromProj4(shift.proj4, name);
  return shift.note ? Object.freeze({ ...crs, note: shift.note }) : crs;
}
