import { buildSceneLayout, type SceneLayout } from './scene-layout';
import { parseSceneOptions, type SceneOptions, type SceneOptionsInput } from './scene-options';
import { sceneGeoref, type SceneGeoref } from './scene-georef';
import { renderRows } from './render-rows';
import { sceneTruth, type SceneTruth } from './scene-truth';

/** A synthetic scene ready to render band by band. */
export interface Scene {
  options: SceneOptions;
  layout: SceneLayout;
  georef: SceneGeoref;
  /** Ground truth: poppy plots and look-alikes in WGS 84. */
  truth: SceneTruth;
  /** Renders `rows` full-width rows from row `y0` (RGB interleaved, 8 bit). */
  renderRows(y0: number, rows: number): Uint8Array;
}

/**
 * Creates a deterministic synthetic farmland scene (layout, georeference, ground truth). Pixels are
 * rendered on demand by row band, so a scene of any size needs only a band in memory.
 * @example
 * const s = generateScene({ seed: 1, gsdM: 0.05, crs: 'EPSG:4522', widthPx: 4096 });
 * const band = s.renderRows(0, 256); // 4096 × 256 × 3 bytes
 */
export function generateScene(input: SceneOptionsInput): Scene {
  const options = parseSceneOptions(input);
  const layout = buildSceneLayout({
    seed: options.seed,
    widthM: options.widthPx * options.gsdM,
    heightM: options.heightPx * options.gsdM,
    plotsPerHa: options.plotsPerHa,
    variety: options.variety,
  });
  const georef = sceneGeoref(options);
  return {
    options,
    layout,
    georef,
    truth: sceneTruth(layout, georef, options),
    renderRows(y0, rows) {
      const n = Math.max(0, Math.min(rows, options.heightPx - y0));
      const out = new Uint8Array(options.widthPx * n * 3);
      renderRows(layout, options.gsdM, options.widthPx, y0, n, out);
      return out;
    },
  };
}
