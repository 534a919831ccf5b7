// Worker-thread entry: registers tsx so the TypeScript planner runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./plan-worker.ts');
