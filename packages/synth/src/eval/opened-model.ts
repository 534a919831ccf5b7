import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a model card whose second-stage thresholds {@link openedModelCopy} opens. */
interface SecondStageCard {
  verifier: { threshold: number; prefilter?: { threshold: number } };
}

/**
 * A copy of the model folder `dir` (without training chips) in `<work>/model` whose verifier and prefilter keep
 * every candidate but still score it, so one scan gives the scores to try every pair of thresholds on. Returns the
 * copy's folder.
 */
export function openedModelCopy(dir: string, card: SecondStageCard, work: string): string {
  const open = join(work, 'model');
  cpSync(dir, open, { recursive: true, filter: (p) => !p.includes('.chips') });
  const pre = card.verifier.prefilter;
  writeFileSync(
    join(open, 'model.json'),
    JSON.stringify({ ...card, verifier: { ...card.verifier, threshold: 0, ...(pre ? { prefilter: { ...pre, threshold: 0 } } : {}) } }),
  );
  return open;
}
