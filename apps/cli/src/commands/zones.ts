import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage:
  tiandi zones import <zones.geojson> [--level county|township|village] [--workspace <file>]
  tiandi zones list [--workspace <file>]

导入行政区划（GeoJSON，WGS 84 经纬度）。每个要素需 properties.zone_id（或 id/code）、name，级别取自
properties.level 或 --level（给出 --level 时只导入该级别）；上级区划取 properties.parent 或按包含关系查找。
Imports zones (GeoJSON FeatureCollection of Polygons in lon/lat). Each feature needs properties.zone_id (or
id/code) and name; its level comes from properties.level or --level (with --level, only that level is
imported); the parent from properties.parent or by containment. Re-importing the same file changes nothing.
`;

const LEVELS = ['county', 'township', 'village'] as const;

const zones: Command = {
  summary: '导入/列出行政区划 Import or list zones',
  usage,
  async run(argv, io) {
    return runCommand(io, 'zones', async () => {
      const { values, positionals } = parseFlags('zones', argv, { level: { type: 'string' } });
      const [action, file] = positionals;
      const wsFile = workspacePath(values.workspace, io);
      const { Workspace, importZones, readZones } = await import('@tiandi/store');
      if (action === 'list') {
        const ws = Workspace.open(wsFile);
        try {
          for (const z of readZones(ws)) io.stdout.write(`${z.zoneId}\t${z.level}\t${z.name ?? ''}\t${z.parentId ?? '-'}\t${(z.areaM2 / 1e6).toFixed(3)} km²\n`);
        } finally {
          ws.close();
        }
        return EXIT.ok;
      }
      if (action !== 'import') throw new UsageError('zones', `未知操作 unknown action '${action ?? ''}': use 'import' or 'list'`);
      if (!file) throw new UsageError('zones', '缺少文件 missing <zones.geojson>');
      if (values.level !== undefined && !(LEVELS as readonly string[]).includes(values.level)) throw new UsageError(file, `--level 应为 must be ${LEVELS.join('|')} (got '${values.level}')`);
      const abs = path.resolve(io.cwd, file);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(abs, 'utf8'));
      } catch (e) {
        throw new UsageError(file, `无法读取为 JSON cannot read as JSON (${(e as Error).message}): export the zones as GeoJSON`);
      }
      const ws = Workspace.open(wsFile);
      try {
        const r = importZones(ws, json, { level: values.level as (typeof LEVELS)[number] | undefined, source: rel(io, abs) }, actorOf(values.actor));
        io.stdout.write(`区划 Zones: ${r.added.length} 新增 added, ${r.updated.length} 更新 updated, ${r.unchanged.length} 未变 unchanged${r.skipped.length ? `, ${r.skipped.length} 其他级别跳过 other levels skipped` : ''}\n`);
        for (const [id, parent] of Object.entries(r.parents)) io.stdout.write(`  ${id} → ${parent ?? '(无上级 no parent)'}\n`);
      } finally {
        ws.close();
      }
      return EXIT.ok;
    });
  },
};
export default zones;
