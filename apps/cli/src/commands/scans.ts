import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, actorOf, parseFlags, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage: tiandi scans import <scan dir>... [--workspace <file>]

把扫描结果目录（tiandi scan 的输出：footprint.geojson、candidates.geojson、summary.json）记入工作区：
影像、有效范围与候选地块；重叠的候选合并为一个目标。重复导入不改变任何内容。
Records scan result folders (written by 'tiandi scan') in the workspace: images, footprints and candidates;
overlapping candidates merge into one target. Re-importing the same scan changes nothing.
`;

const scans: Command = {
  summary: '导入扫描结果 Import scan results into the workspace',
  usage,
  async run(argv, io) {
    return runCommand(io, 'scans', async () => {
      const { values, positionals } = parseFlags('scans', argv, {});
      const [action, ...dirs] = positionals;
      if (action !== 'import') throw new UsageError('scans', `未知操作 unknown action '${action ?? ''}': use 'scans import <dir>'`);
      if (dirs.length === 0) throw new UsageError('scans', '缺少目录 missing <scan dir>');
      const { Workspace, importScanDirs } = await import('@tiandi/store');
      const ws = Workspace.open(workspacePath(values.workspace, io));
      try {
        // All folders in one transaction: a killed import leaves none of them half recorded.
        const r = await importScanDirs(
          ws,
          dirs.map((d) => path.resolve(io.cwd, d)),
          actorOf(values.actor),
          { signal: io.signal },
        );
        const what = dirs.join(', ');
        if (r.unchanged) io.stdout.write(`${what}: 已在工作区中 already in the workspace, nothing changed\n`);
        else
          io.stdout.write(
            `${what}: ${r.imagesAdded.length} 影像 images, ${r.candidatesAdded} 候选 candidates → ${r.targetsCreated.length} 新目标 new targets, ${r.targetsChanged.length} 更新 updated${r.staleCertificates.length ? `; 证书证据已变化 certificates now stale: ${r.staleCertificates.join(', ')}` : ''}\n`,
          );
      } finally {
        ws.close();
      }
      return EXIT.ok;
    });
  },
};
export default scans;
