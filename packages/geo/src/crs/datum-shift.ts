import proj4 from 'proj4';
import { TOWGS84_CORRECTIONS } from './towgs84-corrections';
import { nodeBuiltin } from './node-builtin';

/** A proj4 definition with the datum shift PROJ/GDAL would apply, and what the user should know about it. */
export interface DatumShift {
  proj4: string;
  /** Said once in the output when positions can be off: no published shift, or a missing grid. */
  note?: string;
}

/**
 * TOWGS84 values that epsg-index copied from EPSG's raw Helmert parameters (coordinate-frame rotations not
 * negated, microradians not converted), keyed by the wrong value, with PROJ's value (position vector, arc-seconds).
 * Made by scripts/audit-epsg-towgs84.py from PROJ's proj.db; e.g. Amersfoort (RD New) was 170 m off, BD72 65 m.
 */
const CORRECTIONS = TOWGS84_CORRECTIONS;

/**
 * Shifts epsg-index applies to a whole datum although EPSG publishes them for one region only; PROJ applies none
 * outside that region, so neither do we (and we say so).
 */
const REGIONAL_ONLY: Record<string, string> = {
  // Beijing 1954 to WGS 84 (1), EPSG:15918: Ordos basin (107–110°E, 35–39°N) only.
  '15.8,-154.4,-82.3,0,0,0,0': 'Beijing 1954',
};

/** When a datum grid is not installed, PROJ falls back to the best Helmert transformation; these are PROJ's. */
const GRID_FALLBACK: Record<string, { towgs84: string; accuracyM: number; name: string }> = {
  'OSTN15_NTv2_OSGBtoETRS.gsb': { towgs84: '446.448,-125.157,542.06,0.15,0.247,0.842,-20.489', accuracyM: 2, name: 'OSGB36 to WGS 84 (6), EPSG:1314' },
};

/** Ellipsoids on which "no shift" is WGS 84 to within a metre or two (CGCS2000, ETRS89, NAD83, GDA …). */
const WGS84_LIKE_ELLPS = new Set(['WGS84', 'GRS80', 'GRS67']);

/** Where PROJ keeps its grids; the first one holding a grid wins. */
function gridDirs(): string[] {
  const envVars = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const env = [envVars.PROJ_DATA, envVars.PROJ_LIB].filter((s): s is string => !!s).flatMap((s) => s.split(':'));
  return [...env, '/usr/share/proj', '/usr/local/share/proj'];
}

const loadedGrids = new Set<string>();

/** Registers an NTv2 grid with proj4js from PROJ's data folders; false when it is not installed. */
function loadGrid(name: string): boolean {
  if (loadedGrids.has(name)) return true;
  const fs = nodeBuiltin<{ existsSync(p: string): boolean; readFileSync(p: string): Uint8Array }>('node:fs');
  if (!fs || !/\.gsb$/i.test(name)) return false;
  for (const dir of gridDirs()) {
    const file = `${dir.replace(/\/+$/, '')}/${name}`;
    if (!fs.existsSync(file)) continue;
    const buf = fs.readFileSync(file);
    (proj4 as unknown as { nadgrid(key: string, data: ArrayBuffer): unknown }).nadgrid(name, new Uint8Array(buf).buffer);
    loadedGrids.add(name);
    return true;
  }
  return false;
}

/** A +key=value of a proj4 string; a value may be quoted (epsg-index quotes grid names with spaces). */
function param(def: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)\\+${key}=("[^"]*"|\\S+)`).exec(def)?.[1];
  return m?.replace(/^"(.*)"$/, '$1');
}

function withoutParam(def: string, key: string): string {
  return def.replace(new RegExp(`\\s*\\+${key}=("[^"]*"|\\S+)`, 'g'), '');
}

/**
 * Applies PROJ's choice of datum shift to WGS 84 to a proj4 definition from the EPSG dataset: corrects
 * mis-converted TOWGS84 values, drops regional-only shifts, loads datum grids from PROJ's data folders (or
 * falls back to PROJ's Helmert when one is missing), and notes a datum with no known shift at all.
 * @example datumShift('+proj=longlat +ellps=IAU76', 'Xian 1980').note // 'Xian 1980: 无已知的 WGS 84 转换参数 …'
 */
export function datumShift(def: string, name: string): DatumShift {
  let d = def.replace(/\s*\+type=crs\b/, '').trim();
  const towgs = param(d, 'towgs84');
  if (towgs && CORRECTIONS[towgs]) d = d.replace(`+towgs84=${towgs}`, `+towgs84=${CORRECTIONS[towgs].towgs84}`);
  const regional = towgs ? REGIONAL_ONLY[towgs] : undefined;
  if (regional) d = withoutParam(d, 'towgs84');
  const grids = param(d, 'nadgrids');
  if (grids && grids !== '@null') {
    const missing = grids.split(',').filter((g) => !g.startsWith('@') && !loadGrid(g));
    if (missing.length) {
      d = withoutParam(d, 'nadgrids');
      const fb = GRID_FALLBACK[missing[0]];
      if (fb) {
        d = `${d} +towgs84=${fb.towgs84}`;
        return {
          proj4: d,
          note: `${name}: 基准格网未安装 datum grid ${missing[0]} is not installed; using PROJ's fallback ${fb.name} (±${fb.accuracyM} m), as GDAL does without the grid`,
        };
      }
      return {
        proj4: d,
        note: `${name}: 基准格网未安装 datum grid ${missing.join(', ')} is not installed (PROJ data); no datum shift applied, positions may be off by up to a few hundred metres`,
      };
    }
    return { proj4: d };
  }
  if (param(d, 'towgs84') || param(d, 'datum') || param(d, 'proj') === 'geocent') return { proj4: d };
  const ellps = param(d, 'ellps');
  if (ellps ? WGS84_LIKE_ELLPS.has(ellps) : isWgs84LikeAxes(d)) return { proj4: d };
  const why = regional
    ? `EPSG publishes ${regional}'s shifts to WGS 84 for a few oil basins only`
    : 'the EPSG dataset gives no datum shift to WGS 84 for it (EPSG publishes none for Xian 1980)';
  return {
    proj4: d,
    note: `${name}: 无已知的 WGS 84 转换参数 ${why}; coordinates are taken as WGS 84 (as GDAL/PROJ do), which can be off by tens of metres or more — use the survey office's own conversion parameters (--crs "<proj4> +towgs84=…") for better`,
  };
}

/** A definition given by +a/+b or +a/+rf close enough to WGS 84's ellipsoid that no shift is meant. */
function isWgs84LikeAxes(def: string): boolean {
  const a = Number(param(def, 'a') ?? param(def, 'R'));
  if (!Number.isFinite(a)) return true; // neither +ellps nor +a: proj4's default ellipsoid is WGS 84's
  return Math.abs(a - 6378137) < 0.5;
}
