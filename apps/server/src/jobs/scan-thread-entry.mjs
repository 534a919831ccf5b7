// Worker-thread entry of a server scan job: registers tsx so the TypeScript runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./scan-thread-run.ts');
