// The training scene the chips scripts render for a seed (make-verifier-chips.ts, mine-passed-negatives.ts): one
// recipe, so the same seed and environment give the same scene in both, drawn from the same PRNG in the same order.
import { readFileSync } from 'node:fs';
import { createPrng } from '../src/prng';
import { writeScene } from '../src/write-scene';

export type Ring = Array<[number, number]>;

const CRSS = ['EPSG:4522', 'EPSG:32648', 'EPSG:4326', 'EPSG:3857', 'EPSG:4544', 'EPSG:4490'];

/**
 * Writes seed `seed`'s scene into `work`: GSD from VCHIPS_GSD=lo,hi (default 3-8.5 cm), VCHIPS_VARIETY=wide (the
 * domain-randomised world) or broad (that world with poppy's looks broadened further). Returns the written scene, its
 * GSD, its poppy plots' outlines and the PRNG, for the script's further draws.
 */
export async function writeChipScene(seed: number, work: string) {
  const r = createPrng(seed * 11 + 3);
  const [lo, hi] = (process.env.VCHIPS_GSD ?? '0.03,0.085').split(',').map(Number);
  const gsdM = Math.round(r.range(lo, hi) * 1000) / 1000;
  const v = process.env.VCHIPS_VARIETY;
  const variety = v === 'wide' || v === 'broad' ? { variety: v as 'wide' | 'broad' } : {};
  const w = await writeScene({ seed, gsdM, crs: r.pick(CRSS), widthPx: Math.round(r.range(140, 180) / gsdM), plotsPerHa: 5, ...variety }, work);
  const truth = JSON.parse(readFileSync(w.truthPath, 'utf8')) as { features: Array<{ properties: { class: string }; geometry: { coordinates: Ring[] } }> };
  const plots = truth.features.filter((f) => f.properties.class === 'poppy').map((f) => f.geometry.coordinates);
  return { w, gsdM, plots, r };
}
