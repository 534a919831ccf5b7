#!/usr/bin/env node
// Precompiles the CLI and the workspace packages it uses into plain JavaScript (npm `prepare`, run by `npm
// install`), so `npx tiandi` starts without tsx: registering tsx alone costs ~0.2 CPU-s a start, and every
// TypeScript module then goes through its loader. bin/tiandi.mjs runs this build only while no source file it
// was made from has changed since (sizes and mtimes in meta.json); otherwise it runs the sources through tsx.
//
// One ES-module bundle split per command (each still loads lazily), written to node_modules/.cache/tiandi-cli,
// from where npm packages resolve as usual: they stay external (native ones must; the rest load as before).
// import.meta.url / dirname / filename are replaced by each source file's own, so paths relative to a source
// file (worker scripts, JSON tables, seeds, the web app, the default model) still point into the clone.
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
// TIANDI_CLI_BUILD_DIR: build elsewhere (the test does, so CLIs other tests start never see a half-swapped build).
export const OUT_DIR = process.env.TIANDI_CLI_BUILD_DIR ?? join(root, 'node_modules', '.cache', 'tiandi-cli');

/**
 * Pure-JavaScript npm packages bundled into the build rather than loaded from node_modules: Node's ES-module loader
 * resolves, reads and links each file of a package on its own (zod alone is ~95 files), which cost `tiandi scan`
 * more at start-up than evaluating them does. Only packages with no native code and no file paths relative to
 * their own modules (import.meta.url, __dirname) belong here; the others (sharp, onnxruntime-node, geotiff's
 * worker pool, tsx…) stay external. A bundled package's own dependencies are listed beside it (a bare import left
 * out stays external, loaded from node_modules as before).
 */
const BUNDLED = [
  ...['zod', 'proj4', 'rbush', '@noble/hashes', 'zstddec'],
  ...['polyclip-ts', 'bignumber.js', 'splaytree-ts'],
  ...['geotiff', '@petamoriken/float16', 'xml-utils', 'quick-lru'],
  ...['cli-progress', 'string-width', 'strip-ansi', 'ansi-regex', 'is-fullwidth-code-point', 'emoji-regex'],
];
const bundled = (spec) => BUNDLED.some((p) => spec === p || spec.startsWith(`${p}/`));

async function build() {
  // esbuild comes with tsx (a dependency of the CLI).
  const req = createRequire(createRequire(join(here, '..', 'package.json')).resolve('tsx'));
  const esbuild = req('esbuild');
  const tmp = `${OUT_DIR}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  const r = await esbuild.build({
    entryPoints: { main: join(here, '..', 'src', 'main.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    outdir: tmp,
    outExtension: { '.js': '.mjs' },
    metafile: true,
    logLevel: 'error',
    // Some npm packages are CommonJS that call require(): give the ESM bundle one.
    banner: { js: "import { createRequire as __tiandiCreateRequire } from 'node:module'; const require = __tiandiCreateRequire(import.meta.url);" },
    plugins: [
      {
        name: 'tiandi',
        setup(b) {
          // npm packages stay external, but for the pure-JavaScript ones in BUNDLED; workspace packages (@tiandi/*,
          // TypeScript sources) are bundled.
          b.onResolve({ filter: /^[^./]/ }, (a) =>
            a.path.startsWith('@tiandi/') || a.path.startsWith('node:') || bundled(a.path) ? undefined : { path: a.path, external: true },
          );
          b.onLoad({ filter: /\.(ts|mts)$/ }, async (a) => {
            const src = await readFile(a.path, 'utf8');
            const url = pathToFileURL(a.path).href;
            const contents = src
              .replace(/\bimport\.meta\.url\b/g, JSON.stringify(url))
              .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(a.path)))
              .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(a.path));
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  const inputs = [];
  for (const p of Object.keys(r.metafile.inputs)) {
    const abs = resolve(process.cwd(), p);
    if (abs.includes(`${join('/', 'node_modules', '/')}`)) continue;
    const s = await stat(abs);
    inputs.push([abs, s.size, s.mtimeMs]);
  }
  const { commands, help } = commandInputs(r.metafile, inputs);
  await writeFile(join(tmp, 'meta.json'), JSON.stringify({ node: process.version, inputs, commands, help }));
  const old = `${OUT_DIR}.old-${process.pid}`;
  await rename(OUT_DIR, old).catch(() => undefined);
  await rename(tmp, OUT_DIR);
  await rm(old, { recursive: true, force: true });
  return inputs.length;
}

/**
 * Which sources each command's run depends on (indices into `inputs`): the CLI's entry with its static imports, the
 * command's module and everything it imports, lazily or not. bin/tiandi.mjs then checks only those, so an edit to the
 * server does not send `tiandi scan` through tsx. `help`: what `tiandi --help` loads (every command module, statically).
 */
function commandInputs(metafile, inputs) {
  const outs = metafile.outputs;
  const index = new Map(inputs.map(([p], i) => [p, i]));
  const closure = (starts, dynamic) => {
    const seen = new Set();
    const walk = (k) => {
      if (seen.has(k) || !outs[k]) return;
      seen.add(k);
      for (const i of outs[k].imports) if (!i.external && (i.kind === 'import-statement' || (dynamic && i.kind === 'dynamic-import'))) walk(i.path);
    };
    starts.forEach(walk);
    return seen;
  };
  const indices = (keys) =>
    [
      ...new Set(
        [...keys].flatMap((k) =>
          Object.keys(outs[k].inputs)
            .map((p) => index.get(resolve(process.cwd(), p)))
            .filter((i) => i !== undefined),
        ),
      ),
    ].sort((a, b) => a - b);
  const mainKey = Object.keys(outs).find((k) => outs[k].entryPoint?.endsWith('apps/cli/src/main.ts'));
  const commandKeys = outs[mainKey].imports.filter((i) => i.kind === 'dynamic-import' && !i.external).map((i) => i.path);
  const commands = {};
  for (const k of commandKeys) {
    const m = /\/commands\/([\w-]+)\.ts$/.exec(outs[k]?.entryPoint ?? '');
    if (m) commands[m[1]] = indices(new Set([...closure([mainKey], false), ...closure([k], true)]));
  }
  return { commands, help: indices(closure([mainKey, ...commandKeys], false)) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const n = await build();
    if (process.env.TIANDI_BUILD_VERBOSE) process.stdout.write(`tiandi: CLI precompiled from ${n} source files into ${OUT_DIR}\n`);
  } catch (err) {
    // Never fail `npm install`: the CLI runs from source without the build.
    process.stderr.write(`tiandi: CLI not precompiled (${err?.message?.split('\n')[0] ?? err}); it will run from source\n`);
  }
}
