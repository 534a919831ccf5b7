/**
 * Where one scan's time goes, phase by phase: prints wall and process CPU seconds when the first tile row, the last
 * tile row, each second-stage phase and the scan end, then CPU seconds per thread (Linux: /proc/self/task, sampled
 * every 50 ms, so threads that ended are counted too) — the scanning thread (MAIN) against the thread pool, the
 * models' thread and libvips.
 *   node --import tsx packages/tiles/bench/phase-probe.ts <image> <modelDir> <outDir> [workers]
 * PROBE_NOT_HERE=1 leaves every tile row to worker threads (`inThisThread: false`): this thread only coordinates;
 * PROBE_HERE=1 has this thread scan rows too (`inThisThread: true`); neither: the scan's own choice.
 * PROBE_THREADS=1 also prints, at each mark, the CPU seconds (and system seconds) each thread group spent since the last.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { scanImages } from '../src/node';

const [image, modelDir, outDir, workersArg] = process.argv.slice(2);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
/** User and system CPU seconds of every thread seen so far, by thread (the highest reading: a thread's CPU only grows). */
const perThread = new Map<string, number>();
const perThreadSys = new Map<string, number>();
function sampleThreads(): void {
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      const key = Number(tid) === process.pid ? 'MAIN' : `${name}#${tid}`;
      perThread.set(key, Math.max(perThread.get(key) ?? 0, (Number(f[11]) + Number(f[12])) / 100));
      perThreadSys.set(key, Math.max(perThreadSys.get(key) ?? 0, Number(f[12]) / 100));
    }
  } catch {
    // Not Linux, or a thread ended while read.
  }
}

/** CPU seconds by thread group (threads of one name added up), total and of it system. */
function byGroup(): Map<string, [number, number]> {
  const groups = new Map<string, [number, number]>();
  for (const [k, v] of perThread) {
    const g = k.replace(/#\d+$/, '');
    const [t, s] = groups.get(g) ?? [0, 0];
    groups.set(g, [t + v, s + (perThreadSys.get(k) ?? 0)]);
  }
  return groups;
}

/** Each phase's CPU by thread group since the previous mark (PROBE_THREADS=1): which threads the phase kept busy. */
let lastGroups = new Map<string, [number, number]>();
const phaseThreads = (): string => {
  if (!process.env.PROBE_THREADS) return '';
  sampleThreads();
  const now = byGroup();
  const parts = [...now]
    .map(([g, [t, s]]): [string, number, number] => [g, t - (lastGroups.get(g)?.[0] ?? 0), s - (lastGroups.get(g)?.[1] ?? 0)])
    .filter(([, t]) => t >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([g, t, s]) => `${g} ${t.toFixed(2)} (sys ${s.toFixed(2)})`);
  lastGroups = now;
  return `  [${parts.join(', ')}]`;
};

const mark = (what: string) => {
  const u = process.cpuUsage(cpu0);
  process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(3)} s, ${((u.user + u.system) / 1e6).toFixed(3)} CPU-s: ${what}${phaseThreads()}\n`);
};
const sampler = setInterval(sampleThreads, 50);

let last = '';
const phaseOf = (p: { phase: string; tilesDone: number; tilesTotal: number; windowsDone: number; windowsTotal: number }) => {
  if (p.phase === 'tiles') return p.tilesDone === p.tilesTotal ? 'last tile row' : last === '' ? 'first tile row' : '';
  if (p.windowsDone === 0) return `second stage: ${p.windowsTotal} windows`;
  return p.windowsDone === p.windowsTotal ? `second stage: ${p.windowsTotal} windows scored` : '';
};
mark('start');
const s = await scanImages({
  images: [image],
  modelDir,
  outDir,
  workers: workersArg ? Number(workersArg) : undefined,
  ...(process.env.PROBE_NOT_HERE ? { inThisThread: false } : process.env.PROBE_HERE ? { inThisThread: true } : {}),
  onProgress: (p) => {
    const k = phaseOf(p);
    if (k && k !== last) mark((last = k));
  },
});
mark('done');
clearInterval(sampler);
sampleThreads();
process.stderr.write(
  `CPU-s by thread: ${[...byGroup()]
    .sort((a, b) => b[1][0] - a[1][0])
    .map(([k, [v, sys]]) => `${k} ${v.toFixed(2)} (sys ${sys.toFixed(2)})`)
    .join(', ')}\n`,
);
console.log(JSON.stringify({ seconds: s.seconds, candidates: s.candidates }));
