import { describe, expect, it } from 'vitest';
import { fuzz } from './coverage-fuzzer';
import { loadCorpus } from './corpus';
import { plantedBug } from './planted-bug';
import { TARGETS, type TargetName } from './targets';

// The short, deterministic lane of the standing fuzz harness (the long one: `npm run fuzz`). A finding
// fails the test with the input (base64) and the stack, to be turned into a regression test beside the code.
const RUNS = 250;

describe('coverage-guided fuzzing (short run)', () => {
  it('is guided by coverage: finds a bug three exact bytes deep (2^24 blind tries) within 5000 runs', async () => {
    const r = await fuzz(
      { name: 'planted', include: /planted-bug/, maxBytes: 8, run: plantedBug, expected: () => false },
      [new TextEncoder().encode('AAAAAAAA')],
      { seed: 1, maxRuns: 5000, stopOnFinding: true },
    );
    expect(r.findings.map((f) => f.message.split('\n')[0])).toEqual(['RangeError: planted bug reached']);
    expect(r.corpus).toBeGreaterThanOrEqual(3); // the seed and one input per branch taken on the way
    expect(r.executions).toBeLessThan(5000);
  });

  it.each(Object.keys(TARGETS) as TargetName[])(`%s: ${RUNS} mutated inputs, no crash, hang, memory blow-up or broken invariant`, async (name) => {
    const r = await fuzz(TARGETS[name](), loadCorpus(name), { seed: 20261206, maxRuns: RUNS });
    process.stdout.write(
      `[fuzz] ${name}: ${r.executions} executions, ${r.blocks} blocks covered (seeds alone ${r.seedBlocks}), corpus ${r.seeds} → ${r.corpus}, findings ${r.findings.length}\n`,
    );
    expect(r.findings.map((f) => `${f.kind}: ${f.message}\ninput (base64): ${Buffer.from(f.input).toString('base64')}`)).toEqual([]);
    expect(r.executions).toBe(RUNS);
    expect(r.blocks).toBeGreaterThan(r.seedBlocks);
  });
});
