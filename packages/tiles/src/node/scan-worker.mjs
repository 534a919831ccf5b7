// Worker-thread entry: registers tsx so the TypeScript worker runs without a build step,
// whether the parent runs under tsx (`npx tiandi`), vitest or plain node.
import { register } from 'tsx/esm/api';

register();
await import('./scan-worker.ts');
