/**
 * The long fuzz run (`npm run fuzz`): each target for a bounded time, printing executions, coverage and
 * findings. Options: `--seconds <n>` per target (default 60), `--target <name>` (default all), `--seed <n>`
 * (default 1), `--grow-corpus` (add inputs that found new coverage to test/fuzz/corpus/<target>/, to review and
 * commit). Findings are written to test-artifacts/fuzz/<target>/ and make the exit status 1.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzz } from './coverage-fuzzer';
import { corpusDir, loadCorpus } from './corpus';
import { TARGETS, type TargetName } from './targets';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    target: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'grow-corpus': { type: 'boolean', default: false },
  },
});
const names = (values.target ? [values.target] : Object.keys(TARGETS)) as TargetName[];
for (const n of names) if (!(n in TARGETS)) throw new Error(`unknown target '${n}': one of ${Object.keys(TARGETS).join(', ')}`);
const seconds = Number(values.seconds);
if (!(seconds > 0 && seconds <= 24 * 3600)) throw new Error('--seconds must be between 0 and 86400');

let failed = false;
for (const name of names) {
  const seeds = loadCorpus(name);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex').slice(0, 16);
  const r = await fuzz(TARGETS[name](), seeds, {
    seed: Number(values.seed),
    maxMs: seconds * 1000,
    onNewInput: values['grow-corpus'] ? (b) => writeFileSync(join(corpusDir(name), `found-${sha(b)}`), b) : undefined,
  });
  console.log(
    `${name}: ${r.executions} executions in ${(r.ms / 1000).toFixed(1)} s (${((r.executions * 1000) / r.ms).toFixed(0)}/s); ` +
      `coverage ${r.blocks} blocks (seeds alone ${r.seedBlocks}), ${r.features} features; corpus ${r.seeds} → ${r.corpus}; findings ${r.findings.length}`,
  );
  if (r.findings.length) {
    failed = true;
    const out = join('test-artifacts', 'fuzz', name);
    mkdirSync(out, { recursive: true });
    for (const f of r.findings) {
      const file = join(out, `${f.kind}-${sha(f.input)}`);
      writeFileSync(file, f.input);
      console.log(
        `  ✘ ${f.kind}: ${f.message.split('\n')[0]}\n    input: ${file}\n${f.message
          .split('\n')
          .slice(1)
          .map((l) => `    ${l.trim()}`)
          .join('\n')}`,
      );
    }
  }
}
process.exitCode = failed ? 1 : 0;
