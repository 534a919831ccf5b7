// Worker-thread entry: registers tsx so the TypeScript OSM reader runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./osm-roads-worker.ts');
