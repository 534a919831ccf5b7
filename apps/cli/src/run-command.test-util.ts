import { Writable } from 'node:stream';
import type { Command } from './command';

/** A stream that keeps what was written to it, for asserting on a command's output. */
export function textSink(): Writable & { text: string; isTTY?: boolean } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string; isTTY?: boolean };
  w.text = '';
  return w;
}

/** Runs a `tiandi` command in-process, as main.ts would, and returns its exit status and what it printed. */
export async function runCommand(cmd: Command, argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = textSink();
  const stderr = textSink();
  const code = await cmd.run(argv, { stdout, stderr, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
