import type { Profiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { mutate, type Rng, rng } from './mutate';

/**
 * A coverage-guided fuzzer on V8's own block coverage (the inspector's precise coverage, as c8 and vitest's
 * v8 coverage use): each input runs once, the blocks it executed (with AFL-style hit-count buckets) are its
 * features, and an input that shows a feature no earlier input did joins the corpus to be mutated further.
 * Jazzer.js would be the first choice; its prebuilt libFuzzer addon needs glibc 2.38 (Debian 12 has 2.36)
 * and building it fetches LLVM from GitHub, so this engine stands in with the same loop.
 */

/** One thing to fuzz: bytes in; throws only what {@link FuzzTarget.expected} accepts, else it is a finding. */
export interface FuzzTarget {
  name: string;
  /** Script URLs whose coverage guides the search (our sources and the parsers they lean on). */
  include: RegExp;
  /** Words the mutator splices in (quotes, separators, tag numbers …). */
  dictionary?: readonly Uint8Array[];
  /** Largest input tried (bytes). */
  maxBytes: number;
  run(input: Uint8Array): Promise<void> | void;
  /** Errors that are the target's documented refusals (typed TIANDI_E_* errors), not findings. */
  expected(err: unknown): boolean;
  /** Cleans up after a run (temporary files …). */
  close?(): Promise<void> | void;
}

/** A failure the fuzzer found: the input, what went wrong, and how. */
export interface Finding {
  kind: 'crash' | 'slow' | 'memory';
  input: Uint8Array;
  message: string;
}

export interface FuzzOptions {
  seed: number;
  /** Stop after this many executions … */
  maxRuns?: number;
  /** … or after this long (ms), whichever comes first. */
  maxMs?: number;
  /** An execution slower than this is a finding (ms). */
  slowMs?: number;
  /** Growth of ArrayBuffer memory across one execution that is a finding (bytes). */
  maxArrayBufferGrowth?: number;
  /** Stop at the first finding. */
  stopOnFinding?: boolean;
  /** Called with each input that added coverage (to save it in a corpus folder). */
  onNewInput?(input: Uint8Array): void;
}

export interface FuzzReport {
  target: string;
  executions: number;
  /** Corpus size at start (seeds) and at the end. */
  seeds: number;
  corpus: number;
  /**
   * Distinct code ranges V8 reported executed at least once, and those the seeds alone reached (a lower bound of
   * blocks covered: V8 folds a block that ran as often as its enclosing one into it).
   */
  blocks: number;
  seedBlocks: number;
  /** Distinct (block, hit-count bucket) features. */
  features: number;
  findings: Finding[];
  ms: number;
}

/** AFL's hit-count buckets: 0, 1, 2, 3, 4–7, 8–15, 16–31, 32–127, 128+. */
const bucket = (n: number) => (n <= 3 ? n : n <= 7 ? 4 : n <= 15 ? 5 : n <= 31 ? 6 : n <= 127 ? 7 : 8);

let shared: Promise<Session> | undefined;

/**
 * One inspector session with precise block coverage, started once and left running for the process: V8 gives
 * block counters only to functions compiled while it runs, so stopping it between targets would leave later
 * targets with function-level coverage only.
 */
function coverageSession(): Promise<Session> {
  shared ??= (async () => {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    return session;
  })();
  return shared;
}

/** Runs one target: seeds first, then mutations of the corpus, until maxRuns or maxMs. */
export async function fuzz(target: FuzzTarget, seeds: readonly Uint8Array[], opts: FuzzOptions): Promise<FuzzReport> {
  const session = await coverageSession();
  const features = new Set<string>();
  const blocks = new Set<string>();
  const corpus: Uint8Array[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const random: Rng = rng(opts.seed);
  const t0 = Date.now();
  let executions = 0;
  const slowMs = opts.slowMs ?? 2000;
  const maxGrowth = opts.maxArrayBufferGrowth ?? 256 * 2 ** 20;

  /** Runs one input; true when it showed something new. */
  const runOne = async (input: Uint8Array): Promise<boolean> => {
    const failure = await runChecked(target, input, slowMs, maxGrowth);
    executions++;
    // Taking the coverage resets its counters, so each take holds one input's run (the fuzzer's own code
    // in between is in other scripts, filtered out by `include`).
    const { result } = await session.post('Profiler.takePreciseCoverage');
    const fresh = addCoverage(result, target.include, blocks, features);
    if (failure) {
      // One finding per distinct message head, so one bug is not reported a thousand times.
      const key = `${failure.kind}:${failure.message.split('\n')[0].replace(/\d+/g, 'N')}`;
      if (!seen.has(key)) {
        seen.add(key);
        findings.push(failure);
      }
    }
    return fresh;
  };

  try {
    await session.post('Profiler.takePreciseCoverage');
    for (const s of seeds) {
      await runOne(s);
      corpus.push(s);
    }
    const seedBlocks = blocks.size;
    const done = () =>
      (opts.maxRuns !== undefined && executions >= opts.maxRuns) ||
      (opts.maxMs !== undefined && Date.now() - t0 >= opts.maxMs) ||
      (opts.stopOnFinding === true && findings.length > 0);
    while (!done()) {
      const parent = corpus[Math.floor(random() * corpus.length)];
      const other = corpus[Math.floor(random() * corpus.length)];
      const child = mutate(parent, other, random, target.dictionary ?? [], target.maxBytes);
      if (await runOne(child)) {
        corpus.push(child);
        opts.onNewInput?.(child);
      }
    }
    return {
      target: target.name,
      executions,
      seeds: seeds.length,
      corpus: corpus.length,
      blocks: blocks.size,
      seedBlocks,
      features: features.size,
      findings,
      ms: Date.now() - t0,
    };
  } finally {
    await target.close?.();
  }
}

/** Runs the target on one input: a crash (an error it does not expect), a slow run or a memory jump is a finding. */
async function runChecked(target: FuzzTarget, input: Uint8Array, slowMs: number, maxGrowth: number): Promise<Finding | undefined> {
  const ab0 = process.memoryUsage().arrayBuffers;
  const start = performance.now();
  try {
    await target.run(input);
  } catch (err) {
    if (!target.expected(err)) return { kind: 'crash', input, message: describe(err) };
  }
  const ms = performance.now() - start;
  const grew = process.memoryUsage().arrayBuffers - ab0;
  if (ms > slowMs) return { kind: 'slow', input, message: `took ${ms.toFixed(0)} ms` };
  if (grew > maxGrowth) return { kind: 'memory', input, message: `ArrayBuffers grew ${(grew / 2 ** 20).toFixed(0)} MB` };
  return undefined;
}

/** Adds one run's block coverage (of the scripts `include` matches) to `blocks` and `features`; true when a feature is new. */
function addCoverage(result: Profiler.ScriptCoverage[], include: RegExp, blocks: Set<string>, features: Set<string>): boolean {
  let fresh = false;
  for (const script of result) {
    if (!include.test(script.url)) continue;
    for (const fn of script.functions) {
      if (fn.ranges[0]?.count === 0) continue;
      // V8 leaves out a block that ran as often as its parent, so a branch taken shows as its sibling's or
      // child's count-0 range appearing or vanishing: count-0 ranges are features too.
      for (const r of fn.ranges) {
        const block = `${script.url}:${r.startOffset}:${r.endOffset}`;
        if (r.count > 0) blocks.add(block);
        const f = `${block}:${bucket(r.count)}`;
        if (!features.has(f)) {
          features.add(f);
          fresh = true;
        }
      }
    }
  }
  return fresh;
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`;
  return `thrown ${typeof err}: ${String(err)}`;
}
