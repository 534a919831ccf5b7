import path from 'node:path';
import os from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defineErrorCodes, TiandiError } from '@tiandi/geo/errors';
import { fail, type CommandIO } from './command';

/** The CLI's own code (docs/errors/cli.md): the packages' codes cover everything past the command line. */
export const CLI_ERROR_CODES = defineErrorCodes({
  TIANDI_E_USAGE: { status: 400, summary: 'A flag, argument or named file of a command is missing or wrong.' },
});

/**
 * Shared plumbing of the workspace commands (init, zones, season, scans, coverage, reports, targets,
 * certify, audit): flag parsing, where the workspace is, who the actor is, and turning typed errors into
 * the one-line `tiandi: <file>: <message>` form with exit status 2 for bad input.
 */
export class UsageError extends TiandiError<keyof typeof CLI_ERROR_CODES> {
  override readonly name = 'UsageError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super('TIANDI_E_USAGE', message, CLI_ERROR_CODES.TIANDI_E_USAGE.status, { path: file });
  }
}

export const WORKSPACE_OPTIONS = {
  workspace: { type: 'string', short: 'w' },
  actor: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** Parses flags strictly; unknown flags become a UsageError naming the command. */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...WORKSPACE_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(command, `${(err as Error).message} — run 'tiandi ${command} --help'`);
  }
}

/** The workspace file: --workspace, else $TIANDI_WORKSPACE, else ./tiandi.gpkg (relative to the working directory). */
export function workspacePath(flag: string | undefined, io: CommandIO): string {
  return path.resolve(io.cwd, flag ?? process.env.TIANDI_WORKSPACE ?? 'tiandi.gpkg');
}

/** Who the audit log records: --actor, else $TIANDI_ACTOR, else `cli:<login name>`. */
export function actorOf(flag: string | undefined): string {
  if (flag) return flag;
  if (process.env.TIANDI_ACTOR) return process.env.TIANDI_ACTOR;
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Re-exported for the workspace commands that import it from here. */
export { fail } from './command';

/** Runs a command body, mapping UsageError and the packages' typed errors (code TIANDI_E_*) to one line + exit 2. */
export async function runCommand(io: CommandIO, defaultFile: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) return fail(io, err.file, err.message);
    const e = err as { code?: string; path?: string; message?: string };
    if (typeof e?.code === 'string' && e.code.startsWith('TIANDI_E_')) {
      return fail(io, rel(io, e.path ?? defaultFile), `${e.message} [${e.code}]`);
    }
    throw err;
  }
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function rel(io: CommandIO, p: string): string {
  const r = path.relative(io.cwd, p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
}
