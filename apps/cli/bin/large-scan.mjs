// Whether `tiandi scan` should run in a child process with glibc's allocator told to give freed memory back.
// Plain JavaScript beside the launcher (bin/tiandi.mjs), which decides before loading anything else.
// Why, which settings and for which scans: @tiandi/tiles/scan-malloc-env (also read by the scan bench).
export { LARGE_SCAN_BYTES, largeScanEnv, SCAN_MALLOC_ENV } from '@tiandi/tiles/scan-malloc-env';

/** Runs this CLI again in a child process with `env`, forwarding signals; resolves to its exit status. */
export async function rerunWith(env) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  const forward = (s) => child.kill(s);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, forward);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.off(s, forward);
      // Killed by a signal: end the same way, so the shell sees what happened.
      if (signal) process.kill(process.pid, signal);
      resolve(code ?? 1);
    });
    child.on('error', () => resolve(1));
  });
}
