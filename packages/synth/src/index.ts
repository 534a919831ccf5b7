export { createPrng, hash32, hash2, type Prng } from './prng';
export { generateScene, type Scene } from './generate-scene';
export { parseSceneOptions, SceneOptionsSchema, type SceneOptions, type SceneOptionsInput } from './scene-options';
export { sceneGeoref, type SceneGeoref } from './scene-georef';
export { sceneTruth, type SceneTruth, type PlotProps, type LookalikeProps, type PolygonFeature } from './scene-truth';
export { buildSceneLayout, type SceneLayout, type LayoutOptions } from './scene-layout';
export { SynthError, SYNTH_ERROR_CODES, type SynthErrorCode } from './errors';
export { buildDemoSurvey, type DemoSurvey, type DemoVillage, type DemoRoad } from './demo/demo-survey';
export { demoFlightBlocks, type DemoFlightBlock, type DemoFlightBlocks } from './demo/demo-flight-blocks';
export { demoSeason, type DemoSeason } from './demo/demo-season';
export { plotMetrics, type PlotMetrics, type SceneEval, type EvalPlot, type EvalCandidate, type RecallGroup, type Rings } from './metrics/plot-metrics';
export { rocAuc, thresholdAtRecall } from './metrics/roc-auc';
// Node-only but light (node:fs + @tiandi/tiles/write, no native modules): the demo imagery cache the
// demo command calls on `npm start`. Also exported from '@tiandi/synth/node'.
export { ensureDemoImagery, demoBlockScene, DEFAULT_SEEDS_DIR, type DemoImage, type DemoProgress } from './demo/ensure-demo-imagery';
