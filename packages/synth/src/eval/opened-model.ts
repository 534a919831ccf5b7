import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a model card whose second-stage thresholds {@link openedModelCopy} opens. */
interface SecondStageCard {
  verifier: { threshold: number; prefilter?: { threshold: number; narrow?: boolean } };
}

/**
 * A copy of the model folder `dir` (without training chips) in `<work>/model` whose verifier and prefilter keep
 * every candidate but still score it, so one scan gives the scores to try every pair of thresholds on. Returns the
 * copy's folder. A prefilter's `narrow` is turned off: with it the verifier's windows depend on the prefilter's
 * threshold, which one scan at 0 cannot give, so a sweep scores the verifier over every passed part (its best
 * window at least the narrowed scan's on the same windows); {@link narrowNote} says so.
 */
export function openedModelCopy(dir: string, card: SecondStageCard, work: string): string {
  const open = join(work, 'model');
  cpSync(dir, open, { recursive: true, filter: (p) => !p.includes('.chips') });
  const pre = card.verifier.prefilter;
  writeFileSync(
    join(open, 'model.json'),
    JSON.stringify({
      ...card,
      verifier: { ...card.verifier, threshold: 0, ...(pre ? { prefilter: { ...pre, threshold: 0, ...(pre.narrow ? { narrow: false } : {}) } } : {}) },
    }),
  );
  return open;
}

/** The line a sweep prints when the card's prefilter narrows the verifier (see {@link openedModelCopy}), else undefined. */
export function narrowNote(card: SecondStageCard): string | undefined {
  if (!card.verifier.prefilter?.narrow) return undefined;
  return "note: the card sets verifier.prefilter.narrow; this sweep scores the verifier over whole passed parts (narrow off), so its verifier scores can exceed a scan's";
}
