// Worker-thread entry when the bundle cannot be built: registers tsx so the TypeScript worker runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./lzw-thread-worker.ts');
