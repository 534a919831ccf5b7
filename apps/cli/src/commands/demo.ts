import { parseArgs } from 'node:util';
import { EXIT, type Command } from '../command';
import { startServer } from './serve';

const usage = `用法 Usage: tiandi demo [--port 8080] [--host 127.0.0.1] [--no-build]

演示 Prepare the demo survey from seeds/ and serve it (npm start runs this). Works offline.
首次运行 On first start it generates the imagery, creates the workspace (zones, 2026 season), scans
every flight block with the default model (progress in the terminal), imports the results, adds the
demo accounts, builds the web app if needed, starts the server and prints the URL.
  --port      端口 port (default 8080; 0 = any free port)
  --host      监听地址 address (default 127.0.0.1)
  --no-build  不构建网页 do not (re)build the web app
`;

const STAGES: Record<string, string> = {
  imagery: '生成演示影像 imagery',
  workspace: '创建工作区 workspace',
  scan: '扫描影像 scanning',
  import: '导入结果 importing',
  accounts: '演示账号 accounts',
};

const demo: Command = {
  summary: '演示：准备演示调查并启动网页 Prepare the demo survey and serve it',
  usage,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: { port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' }, 'no-build': { type: 'boolean', default: false } },
        strict: true,
      }));
    } catch (err) {
      io.stderr.write(`tiandi: demo: ${(err as Error).message}. Run 'tiandi demo --help'.\n`);
      return EXIT.badInput;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`tiandi: demo: --port '${values.port}' 不是有效端口 is not a port number (0–65535).\n`);
      return EXIT.badInput;
    }
    const { prepareDemo, DEMO_ACCOUNTS, DEMO_PASSWORD } = await import('@tiandi/server');
    const { SingleBar, Presets } = (await import('cli-progress')).default;
    const tty = Boolean(io.stdout.isTTY);
    const bar = tty
      ? new SingleBar({ format: '{stage} [{bar}] {percentage}% {detail}', hideCursor: true, stream: io.stdout as NodeJS.WriteStream }, Presets.shades_classic)
      : null;
    let stage = '';
    let lastLine = 0;
    const t0 = Date.now();
    const prepared = await prepareDemo({
      signal: io.signal,
      onStep: (s) => {
        if (s.stage !== stage) {
          bar?.stop();
          stage = s.stage;
          bar?.start(100, 0, { stage: STAGES[s.stage], detail: '' });
          if (!bar) io.stdout.write(`${STAGES[s.stage]}…\n`);
        }
        bar?.update(Math.round(s.fraction * 100), { stage: STAGES[s.stage], detail: s.detail ?? '' });
        if (!bar && Date.now() - lastLine > 5000) {
          lastLine = Date.now();
          io.stdout.write(`  ${Math.round(s.fraction * 100)}% ${s.detail ?? ''}\n`);
        }
      },
    });
    bar?.stop();
    io.stdout.write(
      `演示调查已就绪 Demo survey ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${prepared.images} 幅影像 images, ${prepared.scanned} 已扫描 scanned, ${prepared.candidates} 个候选地块 candidate plots.\n`,
    );
    if (prepared.modelMissing) {
      io.stdout.write(
        `注意 Note: 默认模型尚未训练 the default model is not trained yet (${prepared.modelMissing}/model.onnx missing; see models/poppy-synth/README.md). 地图显示影像但没有目标 The map shows imagery without targets.\n`,
      );
    }
    io.stdout.write(`演示账号 Demo accounts (密码 password: ${DEMO_PASSWORD}): ${DEMO_ACCOUNTS.map((a) => a.name).join(', ')}\n`);
    const signInHint = `演示账号 Demo accounts: ${DEMO_ACCOUNTS.map((a) => a.name).join(' / ')} · 密码 password: ${DEMO_PASSWORD}`;
    return startServer(
      { workspacePath: prepared.workspacePath, dataDir: prepared.dataDir, port, host: values.host!, build: !values['no-build'], signInHint },
      io,
    );
  },
};

export default demo;
