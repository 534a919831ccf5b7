import { getCrs, transformer, type Crs } from '@tiandi/geo';
import { hash32 } from './prng';
import type { SceneOptions } from './scene-options';

/** How scene metres map to the image's CRS and to WGS 84. */
export interface SceneGeoref {
  crs: Crs;
  epsg: number;
  /** GDAL geotransform (pixel corners) of the image. */
  geoTransform: [number, number, number, number, number, number];
  /** Scene metres (x east, y south from the top-left corner) → CRS coordinates. */
  sceneToCrs(x: number, y: number): [number, number];
  /** Scene metres → [lon, lat] in WGS 84. */
  sceneToLonLat(x: number, y: number): [number, number];
  /** [lon, lat] → scene metres. */
  lonLatToScene(lon: number, lat: number): [number, number];
}

/** The default centre of a scene: in Liangshan, or near the central meridian of a transverse Mercator CRS. */
function defaultCentre(crs: Crs, seed: number): [number, number] {
  const f1 = hash32(seed, 11) / 2 ** 32,
    f2 = hash32(seed, 12) / 2 ** 32;
  const lon0 = /\+lon_0=([-\d.]+)/.exec(crs.proj4);
  const lon = lon0 && /tmerc|utm/.test(crs.proj4) ? Number(lon0[1]) + 0.05 + 0.3 * f1 : 102.2 + 0.2 * f1;
  const zone = /\+zone=(\d+)/.exec(crs.proj4);
  const lonUtm = zone ? -183 + 6 * Number(zone[1]) + 0.5 + 2 * f1 : lon;
  return [lonUtm, 27.8 + 0.2 * f2];
}

/** Metres per degree of longitude on the GRS80/WGS 84 ellipsoid at a latitude. */
export function metresPerDegreeLon(latDeg: number): number {
  const phi = (latDeg * Math.PI) / 180;
  return ((Math.PI / 180) * 6_378_137 * Math.cos(phi)) / Math.sqrt(1 - 0.00669438 * Math.sin(phi) ** 2);
}

/** Builds the georeference of a scene from its options. */
export function sceneGeoref(o: SceneOptions): SceneGeoref {
  const crs = getCrs(o.crs);
  const epsg = crs.epsg ?? 0;
  const toWgs = transformer(crs, getCrs(4326));
  const centre = o.centreLonLat ?? defaultCentre(crs, o.seed);
  let psx: number, psy: number;
  if (crs.units === 'degree') {
    psx = o.gsdM / metresPerDegreeLon(centre[1]);
    psy = o.gsdM / 110_574;
  } else {
    // CRS units per ground metre: 1 for transverse Mercator grids (GK, UTM: nominal GSD, as survey
    // software writes it); about 1/cos(lat) for Web Mercator, measured at the centre.
    let k = 1;
    if (/\+proj=merc/.test(crs.proj4)) {
      const a = toWgs.inverse(centre),
        b = toWgs.inverse([centre[0] + 1e-4, centre[1]]);
      k = Math.hypot(b[0] - a[0], b[1] - a[1]) / (1e-4 * metresPerDegreeLon(centre[1]));
    }
    psx = psy = o.gsdM * k;
  }
  let ox: number, oy: number;
  if (o.originXY) [ox, oy] = o.originXY;
  else {
    const c = toWgs.inverse(centre);
    ox = c[0] - (o.widthPx / 2) * psx;
    oy = c[1] + (o.heightPx / 2) * psy;
    if (crs.units === 'metre') {
      ox = Math.round(ox);
      oy = Math.round(oy);
    }
  }
  const kx = psx / o.gsdM,
    ky = psy / o.gsdM;
  const sceneToCrs = (x: number, y: number): [number, number] => [ox + x * kx, oy - y * ky];
  return {
    crs,
    epsg,
    geoTransform: [ox, psx, 0, oy, 0, -psy],
    sceneToCrs,
    sceneToLonLat: (x, y) => toWgs.forward(sceneToCrs(x, y)),
    lonLatToScene: (lon, lat) => {
      const p = toWgs.inverse([lon, lat]);
      return [(p[0] - ox) / kx, (oy - p[1]) / ky];
    },
  };
}
