// Entry of a server scan job's process: lowers its priority, then registers tsx so the TypeScript runs without a
// build step.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

// The scan yields to the server: nice 10 for every thread of this process, first thing (before tsx starts its
// loader thread). On Linux a nice value is a thread's own, so each running thread is reniced and threads started
// later (the scan's workers, the pool decoding JPEG blocks) inherit it; elsewhere the process's priority is set.
try {
  for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), 10);
} catch {
  try {
    setPriority(10);
  } catch {
    // Not permitted: the scan runs at the server's priority.
  }
}
const { register } = await import('tsx/esm/api');
register();
await import('./scan-thread-run.ts');
