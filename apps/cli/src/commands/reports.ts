import fs from 'node:fs';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage: tiandi reports import <reports.geojson|reports.csv>... [--photos <dir>] [--season <id>] [--workspace <file>]

导入地面核查报告。每行单独校验：错误的行逐行报告（含行号）且不保存，正确的行保存。按 report_id 幂等。
Imports ground reports. Each row is validated on its own: bad rows are listed with their row number and not
stored; good rows are stored. Idempotent by report_id. Text: UTF-8 or GBK/GB18030 (detected).
照片：相对于报告文件所在文件夹（或 --photos <dir>）的文件名，不可含 '..'、绝对路径或指向文件夹外的链接；仅接受
JPEG/PNG/HEIC/WebP（按内容识别），按 sha256 保存。否则该行被拒。
Photos: names relative to the report file's folder (or --photos <dir>); no '..', absolute paths or links leading
out of it; JPEG/PNG/HEIC/WebP by content, stored by sha256. A row naming any other photo is rejected.
CSV header: report_id,target_id,verdict,what,lon,lat,accuracy_m,observed_at,team,plant_count,area_m2,photos,notes
verdict: confirmed_poppy | eradicated | not_poppy (+ what) | nothing_found | inaccessible
Exports of other field apps are accepted too: ODK/KoboToolbox CSV, QField/Survey123 GeoJSON, Chinese headers
(编号,结论,位置,时间…); their photos are not imported (names kept in notes). See docs/domain.md.
Exit status 2 when any row was rejected (the good rows are kept), or when the file is refused as a whole
(unclosed quote, unknown encoding): then nothing is stored.
`;

const reports: Command = {
  summary: '导入地面核查报告 Import ground reports (GeoJSON or CSV)',
  usage,
  async run(argv, io) {
    return runCommand(io, 'reports', async () => {
      const { values, positionals } = parseFlags('reports', argv, { season: { type: 'string' }, photos: { type: 'string' } });
      const [action, ...files] = positionals;
      if (action !== 'import') throw new UsageError('reports', `未知操作 unknown action '${action ?? ''}': use 'reports import <file>'`);
      if (files.length === 0) throw new UsageError('reports', '缺少文件 missing <reports file>');
      const photosDir = values.photos === undefined ? undefined : path.resolve(io.cwd, values.photos);
      if (photosDir !== undefined && !fs.statSync(photosDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new UsageError(values.photos!, '照片文件夹不存在 --photos is not a folder: give the folder the photos are in');
      }
      const { Workspace, importReportsFiles } = await import('@tiandi/store');
      const ws = Workspace.open(workspacePath(values.workspace, io));
      let status: number = EXIT.ok;
      try {
        // All files in one transaction; within it, good rows are kept and bad rows listed.
        const results = await importReportsFiles(
          ws,
          files.map((f) => path.resolve(io.cwd, f)),
          actorOf(values.actor),
          { signal: io.signal, seasonId: values.season, photosDir },
        );
        results.forEach((r, i) => {
          const name = rel(io, path.resolve(io.cwd, files[i]));
          for (const bad of r.rejected) io.stderr.write(`tiandi: ${name}: 第 ${bad.row} 行 row ${bad.row}: ${bad.message}\n`);
          io.stdout.write(`${name}: ${r.added.length} 条已保存 stored, ${r.unchanged.length} 条已存在 already stored, ${r.rejected.length} 条被拒 rejected\n`);
          for (const a of r.added)
            io.stdout.write(`  ${a.reportId} → ${a.targetId ?? '(无目标 no target)'} ${a.match}${a.from !== a.to ? ` ${a.from ?? ''}→${a.to}` : ''}\n`);
          for (const t of r.newTargets) io.stdout.write(`  新目标（航拍漏检）new target, missed by scan: ${t}\n`);
          for (const w of r.warnings) io.stdout.write(`  ⚠ 第 ${w.row} 行 row ${w.row} (${w.reportId}): ${w.message}\n`);
          for (const c of r.contradictions) io.stdout.write(`  ⚠ 待裁决 needs review: ${c.targetId}: ${c.reason}\n`);
          for (const c of r.staleCertificates) io.stdout.write(`  ⚠ 证书证据已变化 certificate now stale: ${c}\n`);
          if (r.rejected.length > 0) status = EXIT.badInput;
        });
      } finally {
        ws.close();
      }
      return status;
    });
  },
};
export default reports;
