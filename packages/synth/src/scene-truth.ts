import type { SceneLayout } from './scene-layout';
import type { SceneGeoref } from './scene-georef';
import type { SceneOptions } from './scene-options';
import type { SceneXY } from './scene-types';

/** Properties of a poppy plot in the ground truth GeoJSON. */
export interface PlotProps {
  class: 'poppy';
  id: string;
  stage: 'flowering' | 'capsule' | 'rosette';
  setting: string;
  area_m2: number;
  plant_count: number;
  flower_colours: string[];
  /** Wide and broad worlds only (scene option variety 'wide' or 'broad'). */
  sowing?: 'rows' | 'broadcast';
  intercrop?: 'maize' | 'beans' | 'fruit_trees';
}

/** Properties of a look-alike in the ground truth GeoJSON. */
export interface LookalikeProps {
  class: 'lookalike';
  id: string;
  what: string;
}

/** A GeoJSON polygon feature in WGS 84. */
export interface PolygonFeature<P> {
  type: 'Feature';
  properties: P;
  geometry: { type: 'Polygon'; coordinates: [number, number][][] };
}

/** Ground truth of a scene: RFC 7946 FeatureCollection plus a `scene` member describing the image. */
export interface SceneTruth {
  type: 'FeatureCollection';
  scene: {
    seed: number;
    gsd_m: number;
    crs: string;
    width_px: number;
    height_px: number;
    geotransform: number[];
    area_km2: number;
    footprint: [number, number][];
  };
  features: Array<PolygonFeature<PlotProps> | PolygonFeature<LookalikeProps>>;
}

const r8 = (v: number): number => Math.round(v * 1e8) / 1e8;

/** Builds the ground truth GeoJSON of a scene (coordinates [lon, lat] rounded to 1e-8°). */
export function sceneTruth(l: SceneLayout, g: SceneGeoref, o: SceneOptions): SceneTruth {
  const ll = (ring: SceneXY[]): [number, number][] => {
    const out = ring.map(([x, y]) => g.sceneToLonLat(x, y)).map(([a, b]) => [r8(a), r8(b)] as [number, number]);
    const f = out[0],
      e = out[out.length - 1];
    if (f[0] !== e[0] || f[1] !== e[1]) out.push(f);
    return out;
  };
  const W = l.widthM,
    H = l.heightM;
  return {
    type: 'FeatureCollection',
    scene: {
      seed: o.seed,
      gsd_m: o.gsdM,
      crs: g.crs.id,
      width_px: o.widthPx,
      height_px: o.heightPx,
      geotransform: [...g.geoTransform],
      area_km2: (W * H) / 1e6,
      footprint: ll([
        [0, 0],
        [W, 0],
        [W, H],
        [0, H],
      ]),
    },
    features: [
      ...l.plots.map((p) => ({
        type: 'Feature' as const,
        properties: {
          class: 'poppy' as const,
          id: p.id,
          stage: p.stage,
          setting: p.setting,
          area_m2: p.areaM2,
          plant_count: p.plantCount,
          flower_colours: p.flowerColours,
          ...(p.sowing ? { sowing: p.sowing } : {}),
          ...(p.intercrop ? { intercrop: p.intercrop } : {}),
        },
        geometry: { type: 'Polygon' as const, coordinates: [ll(p.ring)] },
      })),
      ...l.lookalikes.map((a) => ({
        type: 'Feature' as const,
        properties: { class: 'lookalike' as const, id: a.id, what: a.what },
        geometry: { type: 'Polygon' as const, coordinates: [ll(a.ring)] },
      })),
    ],
  };
}
