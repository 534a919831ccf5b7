import path from 'node:path';
import { EXIT, type Command } from '../command';
import { UsageError, actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage:
  tiandi zones import <file> [--level county|township|village] [--id-field <f>] [--name-field <f>]
                      [--layer <name>] [--crs "EPSG:<code>"] [--encoding gbk|utf-8] [--preview] [--workspace <file>]
  tiandi zones list [--workspace <file>]

导入行政区划边界：Shapefile（含 .dbf/.prj/.cpg，GBK 或 UTF-8 属性）、KML/KMZ（Google Earth、奥维互动地图）、
GeoPackage 图层、GeoJSON，任意坐标系（按 .prj、图层坐标系或 --crs 转换为 WGS 84）。--preview 只列出字段与样例
及将使用的编号、名称字段，不写入。编号、名称字段可用 --id-field、--name-field 指定（默认按常见字段名如 XZQDM、
XZQMC 识别）。县、乡、村三级可分文件导入（--level）；上级区划取 properties.parent 或按包含关系查找。
Imports zone boundaries from a Shapefile (with .dbf, .prj, .cpg; GBK or UTF-8 attributes), KML or KMZ
(Google Earth, 奥维互动地图), a GeoPackage layer or GeoJSON, in any CRS (from the .prj, the layer's CRS or
--crs; reprojected to WGS 84). --preview lists the fields with sample values and the id/name fields that would
be used, and writes nothing. Map the fields with --id-field/--name-field (default: common names such as XZQDM,
XZQMC, code, name). County, township and village levels can come from separate files (--level); the parent is
properties.parent or found by containment. Re-importing the same file changes nothing.
`;

const LEVELS = ['county', 'township', 'village'] as const;

/** The lines `--preview` prints: format, CRS, fields with samples, the id/name fields that would be used. */
function previewLines(p: import('@tiandi/store').BoundaryPreview): string[] {
  const lines = [
    `格式 format: ${p.format}${p.layer ? `, 图层 layer ${p.layer}${p.layers && p.layers.length > 1 ? ` (of ${p.layers.join(', ')})` : ''}` : ''}; 坐标系 CRS: ${p.crs}${p.encoding ? `; 编码 encoding: ${p.encoding}` : ''}`,
    `要素 features: ${p.features} (${p.polygons} 面 polygons)`,
    '字段 fields:',
    ...p.fields.map((f) => `  ${f.name}\t${f.distinct} 个不同值 distinct\t${f.samples.join(' | ')}`),
    `编号字段 id field: ${p.idField ?? '(未找到 none found: pass --id-field)'}; 名称字段 name field: ${p.nameField ?? '(none)'}`,
  ];
  if (p.note) lines.push(`注意 note: ${p.note}`);
  return lines;
}

const zones: Command = {
  summary: '导入/列出行政区划 Import or list zones',
  usage,
  async run(argv, io) {
    return runCommand(io, 'zones', async () => {
      const { values, positionals } = parseFlags('zones', argv, {
        level: { type: 'string' },
        'id-field': { type: 'string' },
        'name-field': { type: 'string' },
        layer: { type: 'string' },
        crs: { type: 'string' },
        encoding: { type: 'string' },
        preview: { type: 'boolean' },
      });
      const [action, file] = positionals;
      const wsFile = workspacePath(values.workspace, io);
      const store = await import('@tiandi/store');
      if (action === 'list') {
        const ws = store.Workspace.open(wsFile);
        try {
          for (const z of store.readZones(ws))
            io.stdout.write(`${z.zoneId}\t${z.level}\t${z.name ?? ''}\t${z.parentId ?? '-'}\t${(z.areaM2 / 1e6).toFixed(3)} km²\n`);
        } finally {
          ws.close();
        }
        return EXIT.ok;
      }
      if (action !== 'import') throw new UsageError('zones', `未知操作 unknown action '${action ?? ''}': use 'import' or 'list'`);
      if (!file) throw new UsageError('zones', '缺少文件 missing <file> (.shp, .kml, .kmz, .gpkg or .geojson)');
      if (values.level !== undefined && !(LEVELS as readonly string[]).includes(values.level))
        throw new UsageError(file, `--level 应为 must be ${LEVELS.join('|')} (got '${values.level}')`);
      const abs = path.resolve(io.cwd, file);
      const boundary = await store.readBoundaryFile(abs, { crs: values.crs, layer: values.layer, encoding: values.encoding });
      if (values.preview) {
        io.stdout.write(previewLines(store.previewBoundary(boundary)).join('\n') + '\n');
        return EXIT.ok;
      }
      const collection = store.zoneCollection(boundary, { idField: values['id-field'], nameField: values['name-field'] }, abs);
      const ws = store.Workspace.open(wsFile);
      try {
        const r = store.importZones(
          ws,
          collection,
          { level: values.level as (typeof LEVELS)[number] | undefined, source: rel(io, abs) },
          actorOf(values.actor),
        );
        io.stdout.write(
          `区划 Zones: ${r.added.length} 新增 added, ${r.updated.length} 更新 updated, ${r.unchanged.length} 未变 unchanged` +
            `${r.skipped.length ? `, ${r.skipped.length} 其他级别跳过 other levels skipped` : ''}` +
            `${collection.left_out ? `, ${collection.left_out} 个非面要素未导入 non-polygon features left out` : ''}\n`,
        );
        for (const [id, parent] of Object.entries(r.parents)) io.stdout.write(`  ${id} → ${parent ?? '(无上级 no parent)'}\n`);
        if (boundary.note) io.stderr.write(`tiandi: 注意 note: ${boundary.note}\n`);
      } finally {
        ws.close();
      }
      return EXIT.ok;
    });
  },
};
export default zones;
