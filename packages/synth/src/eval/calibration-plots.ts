import type { Scene } from '../generate-scene';
import type { EvalPlot } from '../metrics/plot-metrics';

type Ring = Array<[number, number]>;

/** A plot of the truth with where it was seen, for the calibration scripts' reports of what they lose. */
export type CalibrationPlot = EvalPlot & { setting: string; gsdM: number; seed: number };

/** The outer-and-hole rings of each polygon of a GeoJSON Polygon or MultiPolygon (candidates.geojson's geometry). */
export function polygonRings(g: { type: string; coordinates: unknown }): Ring[][] {
  return g.type === 'Polygon' ? [g.coordinates as Ring[]] : (g.coordinates as Ring[][]);
}

/** The poppy plots of a scene's truth in WGS 84, like the candidates (the layout's own rings are in scene metres). */
export function truthPlots(scene: Scene, so: { gsdM: number; seed: number }): CalibrationPlot[] {
  return scene.truth.features
    .filter((f) => f.properties.class === 'poppy')
    .map((f) => {
      const p = f.properties as { id: string; area_m2: number; stage: string; setting: string };
      return { id: p.id, rings: f.geometry.coordinates as Ring[], areaM2: p.area_m2, stage: p.stage, setting: p.setting, gsdM: so.gsdM, seed: so.seed };
    });
}
