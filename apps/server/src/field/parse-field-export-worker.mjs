// Worker-thread entry: registers tsx so the TypeScript parser runs without a build step.
import { register } from 'tsx/esm/api';

register();
await import('./parse-field-export-run.ts');
