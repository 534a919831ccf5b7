#!/usr/bin/env node
// Runs the CLI precompiled by `npm install` (scripts/build-cli.mjs) while it is as new as every source file it
// was built from; otherwise (no build yet, or a source edited since) the TypeScript sources through tsx, so
// `npx tiandi` works right after `npm install` and while developing. Worker threads register tsx themselves.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../../../node_modules/.cache/tiandi-cli/', import.meta.url));

/**
 * Whether the precompiled CLI was built by this Node from the sources `command` runs as they are now: only those
 * (meta.json lists them per command), so an edit elsewhere in the repository leaves this command precompiled.
 */
function fresh(command) {
  if (process.env.TIANDI_FROM_SOURCE) return false;
  try {
    const meta = JSON.parse(readFileSync(`${built}meta.json`, 'utf8'));
    if (meta.node !== process.version || !meta.inputs.length) return false;
    const which = meta.commands?.[command] ?? meta.help;
    for (const [p, size, mtime] of which ? which.map((i) => meta.inputs[i]) : meta.inputs) {
      const s = statSync(p);
      if (s.size !== size || s.mtimeMs !== mtime) return false;
    }
    return true;
  } catch {
    return false;
  }
}

// A long scan runs again in a child whose allocator gives freed memory back (large-scan.mjs).
const { largeScanEnv, rerunWith } = await import('./large-scan.mjs');
const env = largeScanEnv(process.argv.slice(2));
if (env) {
  process.exitCode = await rerunWith(env);
} else {
  await runHere();
}

async function runHere() {
  let main;
  if (fresh(process.argv[2])) ({ main } = await import(pathToFileURL(`${built}main.mjs`).href));
  else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../src/main.ts'));
  }
  process.exitCode = await main(process.argv.slice(2));
}
