// The models' thread (onnx-thread-worker.mjs) started before a scan needs it: a Node thread's start and
// onnxruntime's load take ~0.1 s before it answers, which a scan otherwise waits for after loading its own modules,
// its model card and its images. Nothing here but node:worker_threads, so a command can start it before it loads
// the rest of @tiandi/tiles (@tiandi/tiles/onnx-early).
import { Worker } from 'node:worker_threads';

/** The thread started early and not taken yet, and whether it has already exited (it could not start). */
let early: { worker: Worker; exited: boolean } | undefined;

/** Whether the process already ends a thread left untaken when it runs out of work (one listener for every scan). */
let endsAtExit = false;

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
  // A command that ends without scanning (a bad flag, every image already scanned) still ends it safely.
  if (!endsAtExit) process.on('beforeExit', () => void dropEarlyOnnxThread());
  endsAtExit = true;
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
  if (e) await endOnnxWorker(e.worker, e.exited);
}

/** The `seq` of the request every models' thread answers once its modules are loaded (no scan request uses it). */
const LOADED_SEQ = -1;

/**
 * Terminates a models' thread, after onnxruntime has loaded there. Terminated while its native module was still
 * initialising, the addon threw into the dying thread and the whole process aborted ("terminate called after
 * throwing an instance of 'Napi::Error'", exit 134, about one time in fifty when every image failed at once),
 * losing the message that said why. The thread answers messages only once its imports are done.
 */
export async function endOnnxWorker(worker: Worker, exited = false): Promise<void> {
  if (!exited) await loaded(worker);
  await worker.terminate();
}

/** Resolves once `worker` answers the loaded request, or has exited; holds the process open meanwhile. */
function loaded(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('exit', done);
      worker.unref();
      resolve();
    };
    const onMessage = (m: { seq?: unknown }) => {
      if (m?.seq === LOADED_SEQ) done();
    };
    worker.on('message', onMessage);
    worker.once('exit', done);
    worker.ref();
    worker.postMessage({ type: 'loaded', seq: LOADED_SEQ });
  });
}
