import { EXIT, type Command } from '../command';
import { UsageError, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage:
  tiandi audit verify [--workspace <file>]
  tiandi audit list [--limit <n>] [--workspace <file>]

verify: 校验审计哈希链；发现被修改、删除或调换顺序的记录，并指出第一条有问题的记录（退出码 1）。
Verifies the audit hash chain: any edited, deleted or reordered entry is detected and the first bad one named (exit 1).
`;

const audit: Command = {
  summary: '校验审计链 Verify the audit chain',
  usage,
  async run(argv, io) {
    return runCommand(io, 'audit', async () => {
      const { values, positionals } = parseFlags('audit', argv, { limit: { type: 'string' } });
      const { Workspace, verifyAudit, readAuditLog } = await import('@tiandi/store');
      const file = workspacePath(values.workspace, io);
      const ws = Workspace.open(file);
      try {
        if (positionals[0] === 'verify') {
          const v = verifyAudit(ws);
          if (v.ok) {
            io.stdout.write(`审计链完整 Audit chain intact: ${v.count} entries, head ${v.headHash.slice(0, 16)}…\n`);
            return EXIT.ok;
          }
          io.stderr.write(`tiandi: ${rel(io, file)}: 审计链被破坏 audit chain broken at entry #${v.index + 1} (seq ${v.seq ?? '?'}): ${v.reason}\n`);
          return EXIT.failed;
        }
        if (positionals[0] === 'list') {
          const limit = values.limit ? Number(values.limit) : 50;
          const log = readAuditLog(ws);
          for (const e of log.slice(-limit)) io.stdout.write(`${e.seq}\t${e.at}\t${e.actor}\t${e.action}\t${e.subject}\t${JSON.stringify(e.payload)}\n`);
          return EXIT.ok;
        }
        throw new UsageError('audit', `未知操作 unknown action '${positionals[0] ?? ''}': use 'verify' or 'list'`);
      } finally {
        ws.close();
      }
    });
  },
};
export default audit;
