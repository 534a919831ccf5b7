/** Node-only parts of @tiandi/synth (file output through @tiandi/tiles/write). */
export { writeScene, type WriteSceneOptions, type WrittenScene } from './write-scene';
export { ensureDemoImagery, demoBlockScene, DEMO_IMAGERY_VERSION, DEFAULT_SEEDS_DIR, type DemoImage, type DemoProgress } from './demo/ensure-demo-imagery';
export { exportChips, ChipOptionsSchema, type ChipOptions, type ChipRecord } from './chips/export-chips';
export { evaluateModel, evalSceneOptions, type EvalReport } from './eval/evaluate-model';
export { evaluateRealNegatives, tiffsIn, type RealNegativeFolder, type RealNegativeFile } from './eval/real-negatives';
export { evaluateTruth, readTruthFile, type TruthReport, type TruthPlot, type TruthFileResult } from './eval/truth-eval';
export { writeMissChips } from './eval/miss-chips';
export { loadBareModel, runBareModel, type BareModel, type BareCard } from './eval/bare-model';
export { readResampled, type ResampledImage } from './chips/read-resampled';
export { syntheticPositiveWindows } from './eval/synthetic-positives';
