import { Writable } from 'node:stream';
import { main } from '@tiandi/cli';

/** Runs `tiandi <argv>` in-process in `cwd` and returns its exit status and what it printed. */
export async function tiandi(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        f(String(chunk));
        cb();
      },
    });
  const code = await main(argv, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), cwd });
  return { code, out, err };
}
