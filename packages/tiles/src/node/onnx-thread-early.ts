// The models' thread (onnx-thread-worker.mjs) started before a scan needs it: a Node thread's start and
// onnxruntime's load take ~0.1 s before it answers, which a scan otherwise waits for after loading its own modules,
// its model card and its images. Nothing here but node:worker_threads, so a command can start it before it loads
// the rest of @tiandi/tiles (@tiandi/tiles/onnx-early).
import { Worker } from 'node:worker_threads';

/** The thread started early and not taken yet, and whether it has already exited (it could not start). */
let early: { worker: Worker; exited: boolean } | undefined;

/** A new models' thread. */
export const newOnnxWorker = (): Worker => new Worker(new URL('./onnx-thread-worker.mjs', import.meta.url), { stdout: false, stderr: false });

/** Starts the next scan's models' thread now (once; it does not keep the process alive). `create`: for tests. */
export function startOnnxThreadEarly(create = newOnnxWorker): void {
  if (early) return;
  const e = { worker: create(), exited: false };
  // Its error, should it fail before a scan takes it, is the exit below: that scan then starts a thread of its own.
  e.worker.on('error', () => undefined);
  e.worker.once('exit', () => {
    e.exited = true;
  });
  e.worker.unref();
  early = e;
}

/** The thread started early (once), unless it exited meanwhile; otherwise a new one. */
export function takeOnnxWorker(): Worker {
  const e = early;
  early = undefined;
  return e && !e.exited ? e.worker : newOnnxWorker();
}

/** Ends a thread started early that no scan took (a scan whose images all failed to open). */
export async function dropEarlyOnnxThread(): Promise<void> {
  const e = early;
  early = undefined;
  await e?.worker.terminate();
}
