import { commands } from './commands/index';
import { EXIT, type CommandIO } from './command';

export { CLI_ERROR_CODES, UsageError } from './workspace-command';
export { formatTruthReport } from './commands/eval-truth';

const HELP = `tiandi — 天地协同禁种铲毒 drone + ground survey toolkit

用法 Usage: tiandi <command> [options]     tiandi <command> --help
`;

/** Parses the command name, loads that command lazily and runs it. Returns the exit status. */
export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(HELP + '\n' + (await listCommands()) + '\n');
    return name ? EXIT.ok : EXIT.badInput;
  }
  const load = commands[name];
  if (!load) {
    io.stderr.write(`tiandi: unknown command '${name}' 未知命令. Run 'tiandi --help' for the list.\n`);
    return EXIT.badInput;
  }
  let command;
  try {
    command = (await load()).default;
  } catch (err) {
    if (isModuleMissing(err)) {
      io.stderr.write(`tiandi: '${name}' is not available in this build yet 尚未实现.\n`);
      return EXIT.failed;
    }
    throw err;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage.trimEnd() + '\n');
    return EXIT.ok;
  }
  return command.run(rest, io);
}

async function listCommands(): Promise<string> {
  const lines: string[] = [];
  for (const [name, load] of Object.entries(commands)) {
    try {
      const c = (await load()).default;
      lines.push(`  ${name.padEnd(10)} ${c.summary}`);
    } catch {
      // Commands not yet built are left out of the list.
    }
  }
  return lines.join('\n');
}

function isModuleMissing(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

function defaultIO(): CommandIO {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}
