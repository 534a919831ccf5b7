/**
 * `npm run bench:startup`: how long `tiandi --help` and `tiandi <command> --help` take to start and exit, each run
 * BENCH_RUNS times (default 10, after one warm-up run) as a user runs it (`node apps/cli/bin/tiandi.mjs …`, its own
 * process), like hyperfine: median, 90th percentile and fastest wall time, beside `node -e 0` (Node's own start-up)
 * and, for two of them, the same run from the TypeScript sources (TIANDI_FROM_SOURCE=1, what runs while a source is
 * newer than the precompiled build). The floor: every command within 0.3 s.
 * Env: BENCH_RUNS, BENCH_ONLY=<regex> (rows to run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { commands } from '../src/commands/index';

const root = resolve(import.meta.dirname, '../../..');
const bin = join(root, 'apps/cli/bin/tiandi.mjs');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 10));
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;

/** Wall seconds of each of RUNS runs of `args` (after a warm-up run), exiting 0. */
function time(args: string[], env: NodeJS.ProcessEnv = {}): number[] {
  const once = () => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    const s = (performance.now() - t) / 1000;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return s;
  };
  once();
  return Array.from({ length: RUNS }, once).sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const meta = join(root, 'node_modules/.cache/tiandi-cli/meta.json');
process.stdout.write(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' ',
    )}; ${RUNS} runs a row; precompiled build ${existsSync(meta) ? 'present (a command whose sources changed since runs from source)' : 'absent (every row runs from source)'}\n\n`,
);
const rows: [string, string[], NodeJS.ProcessEnv][] = [
  ['node -e 0 (Node alone)', ['-e', '0'], {}],
  ['tiandi --help', [bin, '--help'], {}],
  ...Object.keys(commands).map((c): [string, string[], NodeJS.ProcessEnv] => [`tiandi ${c} --help`, [bin, c, '--help'], {}]),
  ['tiandi --help, from source', [bin, '--help'], { TIANDI_FROM_SOURCE: '1' }],
  ['tiandi scan --help, from source', [bin, 'scan', '--help'], { TIANDI_FROM_SOURCE: '1' }],
];
const out: string[][] = [];
for (const [name, args, env] of rows) {
  if (only && !only.test(name)) continue;
  const xs = time(args, env);
  const row = [name, pct(xs, 0.5).toFixed(3), pct(xs, 0.9).toFixed(3), xs[0].toFixed(3)];
  out.push(row);
  process.stdout.write(`${row[0]}: median ${row[1]} s, p90 ${row[2]} s, fastest ${row[3]} s\n`);
}
process.stdout.write('\n| command | median s | p90 s | fastest s |\n|---|---|---|---|\n' + out.map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n');
const cmdRows = out.filter((r) => r[0].startsWith('tiandi') && !r[0].includes('from source'));
const worst = cmdRows.reduce((w, r) => (Number(r[1]) > Number(w[1]) ? r : w), cmdRows[0] ?? ['-', '0']);
process.stdout.write(
  `\nfloor: every command starts within 0.3 s (median): slowest ${worst[0]} ${worst[1]} s ${Number(worst[1]) <= 0.3 ? '✔' : '✗'} (timings on a shared machine are noisy: compare with node -e 0)\n`,
);
