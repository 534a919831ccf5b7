import proj4 from 'proj4';
import type { Crs } from './crs';
import { CrsError } from './errors';

/**
 * Wraps a proj4 definition as a {@link Crs}; the definition is checked by building it with proj4js.
 * @throws CrsError `TIANDI_E_BAD_PROJ4` when proj4js cannot parse it.
 * @example crsFromProj4('+proj=tmerc +lon_0=102 +x_0=500000 +ellps=GRS80 +units=m').units // 'metre'
 */
export function crsFromProj4(def: string, name?: string): Crs {
  const d = def.trim();
  let units: 'degree' | 'metre';
  try {
    const p = proj4.Proj(d) as unknown as { projName?: string; units?: string; to_meter?: number };
    if (!p || !p.projName) throw new Error('no projection');
    units = p.projName === 'longlat' || p.projName === 'identity' ? 'degree' : 'metre';
    if (units === 'metre' && p.units && p.units !== 'm' && !p.to_meter) {
      throw new Error(`units '${p.units}' are not metres`);
    }
  } catch (err) {
    throw new CrsError('TIANDI_E_BAD_PROJ4', `无效的 proj4 定义 invalid proj4 definition '${d}': ${(err as Error).message}`, d);
  }
  return Object.freeze({ id: `custom:${d}`, proj4: d, name: name ?? d, units });
}
