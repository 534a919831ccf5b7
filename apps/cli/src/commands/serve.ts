import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type Command } from '../command';

const usage = `用法 Usage: tiandi serve --workspace <file.gpkg> [--port 8080] [--host 127.0.0.1] [--data <dir>] [--basemap <url>] [--trust-proxy <hops|addresses|true>] [--upload-quota-gb 256] [--upload-expiry-hours 72] [--no-build]

启动网页服务 Serve the web app and HTTP API over one workspace.
  --workspace  调查工作区文件 the survey workspace (GeoPackage)
  --port       端口 port (default 8080; 0 = any free port)
  --host       监听地址 address to listen on (default 127.0.0.1; 0.0.0.0 for the office network)
  --data       上传与任务目录 folder for uploads, jobs and tile cache (default <workspace>.data)
  --basemap    可选在线底图 optional online basemap: XYZ URL with {z}/{x}/{y} or a style URL
  --trust-proxy 反向代理 behind a reverse proxy (TLS): trust its X-Forwarded-* headers — 'true', a hop
               count, or the proxy's addresses (comma-separated, CIDR allowed); default off
  --upload-quota-gb 每个账号的上传配额 bytes one account may hold in uploads and orthophotos (default 256)
  --upload-expiry-hours 未完成上传的保留时间 unfinished uploads are deleted after this long (default 72)
  --no-build   不构建网页 do not (re)build the web app
`;

const serve: Command = {
  summary: '启动网页与接口服务 Serve the web app and API',
  usage,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          workspace: { type: 'string' },
          port: { type: 'string', default: '8080' },
          host: { type: 'string', default: '127.0.0.1' },
          data: { type: 'string' },
          basemap: { type: 'string' },
          'trust-proxy': { type: 'string' },
          'upload-quota-gb': { type: 'string' },
          'upload-expiry-hours': { type: 'string' },
          'no-build': { type: 'boolean', default: false },
        },
        strict: true,
      }));
    } catch (err) {
      io.stderr.write(`tiandi: serve: ${(err as Error).message}. Run 'tiandi serve --help'.\n`);
      return EXIT.badInput;
    }
    if (!values.workspace) {
      io.stderr.write(`tiandi: serve: 缺少 --workspace missing --workspace <file.gpkg>.\n`);
      return EXIT.badInput;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`tiandi: serve: --port '${values.port}' 不是有效端口 is not a port number (0–65535).\n`);
      return EXIT.badInput;
    }
    const limits: { uploadQuotaBytes?: number; uploadExpiryHours?: number } = {};
    for (const [flag, key, scale] of [
      ['upload-quota-gb', 'uploadQuotaBytes', 1024 ** 3],
      ['upload-expiry-hours', 'uploadExpiryHours', 1],
    ] as const) {
      const raw = values[flag];
      if (raw === undefined) continue;
      const n = Number(raw);
      if (!(n > 0) || !Number.isFinite(n)) {
        io.stderr.write(`tiandi: serve: --${flag} '${raw}' 必须是正数 must be a positive number.\n`);
        return EXIT.badInput;
      }
      limits[key] = n * scale;
    }
    const workspacePath = path.resolve(io.cwd, values.workspace);
    return startServer(
      {
        workspacePath,
        dataDir: values.data ? path.resolve(io.cwd, values.data) : `${workspacePath}.data`,
        port,
        host: values.host!,
        basemapUrl: values.basemap,
        build: !values['no-build'],
        trustProxy: parseTrustProxy(values['trust-proxy']),
        ...limits,
      },
      io,
    );
  },
};

/** Builds the web app if needed, starts the server and waits until SIGINT/SIGTERM or io.signal. */
export async function startServer(
  o: {
    workspacePath: string;
    dataDir: string;
    port: number;
    host: string;
    basemapUrl?: string;
    build: boolean;
    signInHint?: string;
    trustProxy?: boolean | number | string[];
    uploadQuotaBytes?: number;
    uploadExpiryHours?: number;
  },
  io: Parameters<Command['run']>[1],
): Promise<number> {
  const { buildServer, ensureWebBuild, builtWebRoot } = await import('@tiandi/server');
  const webRoot = o.build ? await ensureWebBuild({ onLog: (l) => io.stdout.write(l + '\n') }) : (builtWebRoot() ?? undefined);
  const app = await buildServer({
    workspacePath: o.workspacePath,
    dataDir: o.dataDir,
    webRoot,
    basemapUrl: o.basemapUrl,
    signInHint: o.signInHint,
    logger: false,
    trustProxy: o.trustProxy,
    uploadQuotaBytes: o.uploadQuotaBytes,
    uploadExpiryHours: o.uploadExpiryHours,
  });
  const address = await app.listen({ port: o.port, host: o.host });
  io.stdout.write(`天地协同已启动 Tiandi is running: ${address.replace('127.0.0.1', 'localhost')}/\n按 Ctrl+C 停止 Press Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
  });
  await app.close();
  return EXIT.ok;
}

/** `--trust-proxy`: 'true'/'false', a hop count, or comma-separated proxy addresses/CIDRs (fastify `trustProxy`). */
export function parseTrustProxy(raw: string | undefined): boolean | number | string[] | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export default serve;
