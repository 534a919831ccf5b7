/** Node-only parts of @tiandi/synth (file output through @tiandi/tiles/write). */
export { writeScene, type WriteSceneOptions, type WrittenScene } from './write-scene';
export { ensureDemoImagery, demoBlockScene, DEMO_IMAGERY_VERSION, DEFAULT_SEEDS_DIR, type DemoImage, type DemoProgress } from './demo/ensure-demo-imagery';
