import { EXIT, type Command } from '../command';
import { actorOf, parseFlags, rel, runCommand, workspacePath } from '../workspace-command';

const usage = `用法 Usage: tiandi init [<workspace.gpkg>] [--workspace <file>] [--actor <name>]

新建调查工作区：一个 GeoPackage 文件，QGIS / QField / GDAL 可直接以图层打开。
Creates a survey workspace: one GeoPackage file that QGIS, QField and GDAL open as layers
(zones, images, candidates, targets, plans, stops, reports, certifications, audit_log …).
Default file: $TIANDI_WORKSPACE or ./tiandi.gpkg. An existing file is never overwritten.
`;

const init: Command = {
  summary: '新建调查工作区 Create a survey workspace (GeoPackage)',
  usage,
  async run(argv, io) {
    return runCommand(io, 'init', async () => {
      const { values, positionals } = parseFlags('init', argv, {});
      const file = workspacePath(positionals[0] ?? values.workspace, io);
      const { Workspace, LAYERS, PLANNING_LAYERS } = await import('@tiandi/store');
      const ws = Workspace.create(file);
      ws.write(actorOf(values.actor), (audit) => audit('workspace.create', rel(io, file), { schema_version: ws.schemaVersion() }));
      ws.close();
      io.stdout.write(`已创建工作区 Workspace created: ${rel(io, file)}\n图层 Layers: ${[...LAYERS, ...PLANNING_LAYERS].map((l) => l.name).join(', ')}\n`);
      return EXIT.ok;
    });
  },
};
export default init;
