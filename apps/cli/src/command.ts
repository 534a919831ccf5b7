/** What every `tiandi <command>` module exports. The CLI only parses flags, calls a package API, prints and exits. */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  signal?: AbortSignal;
}

export interface Command {
  /** One line shown by `tiandi --help`, Chinese first then English. */
  summary: string;
  /** Full usage text shown by `tiandi <command> --help`. */
  usage: string;
  /** Returns the process exit status: 0 ok, 1 failure of the work, 2 bad input or usage. */
  run(argv: string[], io: CommandIO): Promise<number>;
}

/** Exit statuses shared by every command. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/**
 * Writes the one-line error every command gives, `tiandi: <file>: <what is wrong and what to do>`
 * (newlines folded so it stays one line), and returns the exit status (bad input unless told otherwise).
 */
export function fail(io: Pick<CommandIO, 'stderr'>, file: string, message: string, code: number = EXIT.badInput): number {
  io.stderr.write(`tiandi: ${file}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return code;
}
