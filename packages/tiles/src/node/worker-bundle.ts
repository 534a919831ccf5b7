import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The scan worker as one plain-JavaScript ES module, so each worker thread starts without loading tsx and
 * transpiling every TypeScript file again (about a CPU-second per thread). Built once with esbuild (the one
 * tsx depends on) into node_modules/.cache/tiandi-tiles, and rebuilt when any bundled source changes (checked
 * by size and mtime of every input). Workspace and pure-JavaScript npm packages (geotiff, proj4, zod…) are
 * bundled too: resolving and linking their hundreds of modules was most of a worker's start (~300 → ~170 ms
 * with the model loaded); native ones (onnxruntime-node, sharp) stay external.
 * Resolves to undefined when esbuild is unavailable or the build fails: the caller falls back to tsx.
 */
const pending = new Map<string, Promise<URL | undefined>>();

export function scanWorkerBundle(): Promise<URL | undefined> {
  return workerBundle(new URL('./scan-worker.ts', import.meta.url));
}

/** The bundle of the worker module at `entry` (a TypeScript file), built as {@link scanWorkerBundle}'s is. */
export function workerBundle(entry: URL): Promise<URL | undefined> {
  let p = pending.get(entry.href);
  if (!p) pending.set(entry.href, (p = build(fileURLToPath(entry)).catch(() => undefined)));
  return p;
}

interface Meta {
  inputs: [string, number, number][];
}

async function fresh(metaPath: string): Promise<boolean> {
  try {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as Meta;
    for (const [p, size, mtime] of meta.inputs) {
      const s = await stat(p);
      if (s.size !== size || s.mtimeMs !== mtime) return false;
    }
    return meta.inputs.length > 0;
  } catch {
    return false;
  }
}

async function build(entry: string): Promise<URL | undefined> {
  const req = createRequire(createRequire(import.meta.url).resolve('tsx'));
  const esbuildPath = req.resolve('esbuild');
  const nm = esbuildPath.slice(0, esbuildPath.lastIndexOf('node_modules') + 'node_modules'.length);
  const esbuild = req('esbuild') as typeof import('esbuild');
  const key = createHash('sha1').update(`${entry}\0${esbuild.version}\0${process.version}\0bundled-js-deps`).digest('hex').slice(0, 12);
  const dir = join(nm, '.cache', 'tiandi-tiles');
  const out = join(dir, `${basename(entry, '.ts')}-${key}.mjs`);
  const metaPath = `${out}.json`;
  if (await fresh(metaPath)) return pathToFileURL(out);
  await mkdir(dir, { recursive: true });
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'npm-external',
        setup(b) {
          // Native packages are loaded from node_modules at run time.
          b.onResolve({ filter: /^[^./]/ }, (a) => (!/^(onnxruntime-node|sharp)(\/|$)/.test(a.path) ? undefined : { path: a.path, external: true }));
        },
      },
    ],
  });
  const cwd = process.cwd();
  const inputs: Meta['inputs'] = [];
  for (const p of Object.keys(r.metafile.inputs)) {
    const abs = resolve(cwd, p);
    const s = await stat(abs);
    inputs.push([abs, s.size, s.mtimeMs]);
  }
  // External imports resolve from the bundle's folder (node_modules/.cache/…), which finds the hoisted packages.
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, r.outputFiles[0].contents);
  await rename(tmp, out);
  await writeFile(`${metaPath}.${process.pid}`, JSON.stringify({ inputs } satisfies Meta));
  await rename(`${metaPath}.${process.pid}`, metaPath);
  return pathToFileURL(out);
}
