import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage: tiandi export <out.gpkg> [--workspace <file>]

写出工作区的副本，供 QField 手机、其他单位或存档使用：不含账号与登录会话（密码哈希、会话令牌均已删除，
文件已压缩重写），其余图层、照片与审计日志完整保留。交给 QField 手机的就是这个文件，不要直接拷贝工作区。
已存在的文件不会被覆盖；工作区本身不变。
Writes a copy of the workspace to hand out — this is the file to put on QField phones (or send to another
office): accounts and login sessions are removed (no password hashes, no session tokens; the copy is
VACUUMed so no freed page keeps them), every layer, photo and the audit log stay. One self-contained
GeoPackage (no -wal file beside it). An existing file is never overwritten; the workspace is not changed.
`;

const exportCommand: Command = {
  summary: '导出不含账号的工作区副本（供 QField）Export a copy without credentials (for QField phones)',
  usage,
  async run(argv, io) {
    return runCommand(io, 'export', async () => {
      const { values, positionals } = parseFlags('export', argv, {});
      const [out, ...rest] = positionals;
      if (!out) throw new UsageError('export', '缺少输出文件 missing <out.gpkg>');
      if (rest.length) throw new UsageError('export', `多余的参数 unexpected argument '${rest[0]}': give one <out.gpkg>`);
      if (!/\.gpkg$/i.test(out)) throw new UsageError(out, '输出文件应以 .gpkg 结尾 the copy must end in .gpkg (QField and QGIS recognise GeoPackages by it)');
      const { Workspace, exportWorkspace } = await import('@tiandi/store');
      const ws = Workspace.open(workspacePath(values.workspace, io));
      try {
        const r = await exportWorkspace(ws, path.resolve(io.cwd, out), { signal: io.signal });
        io.stdout.write(
          `${rel(io, r.path)}: ${(r.sizeBytes / 1024).toFixed(0)} KiB; 已删除 removed ${r.removed.tiandi_accounts} 账号 accounts, ${r.removed.tiandi_sessions} 会话 sessions — 可交给 QField ready for QField\n`,
        );
        if (r.invalidPhotos > 0)
          io.stdout.write(
            `  ⚠ 未带出 ${r.invalidPhotos} 张非图片或校验和不符的照片 left out ${r.invalidPhotos} photo row(s) that are not images or not their sha256\n`,
          );
      } finally {
        ws.close();
      }
      return EXIT.ok;
    });
  },
};
export default exportCommand;
