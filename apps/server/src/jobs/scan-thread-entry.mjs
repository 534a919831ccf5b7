// Entry of a server scan job's process: registers tsx so the TypeScript runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./scan-thread-run.ts');
