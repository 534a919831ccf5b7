/**
 * Writes classic eval-style scenes with their truth into a folder, for `tiandi eval --labelled <folder>`: seed
 * `first + i` rendered by writeScene(evalSceneOptions(seed, 150, gsd)) at the GSDs in turn, as `tiandi eval --scenes`
 * draws them. A scene whose truth holds no poppy plot keeps its image and loses its truth file (readTruthFile refuses an
 * empty one; its candidates still count as false). The model card's selection splits (e.g. 9600-9639) are made so.
 *   npx tsx packages/synth/scripts/write-eval-scenes.ts <outDir> <firstSeed> <scenes> [gsds=0.03,0.05,0.08,0.1,0.12]
 */
import { readFileSync, rmSync } from 'node:fs';
import { evalSceneOptions } from '../src/eval/evaluate-model';
import { writeScene } from '../src/write-scene';

const [out, firstArg, nArg, gsdArg] = process.argv.slice(2);
if (!out || !firstArg || !nArg) throw new Error('usage: write-eval-scenes.ts <outDir> <firstSeed> <scenes> [gsds]');
const gsds = (gsdArg ?? '0.03,0.05,0.08,0.1,0.12').split(',').map(Number);
const first = Number(firstArg);
for (let i = 0; i < Number(nArg); i++) {
  const seed = first + i;
  const w = await writeScene(evalSceneOptions(seed, 150, gsds[i % gsds.length]), out);
  const truth = JSON.parse(readFileSync(w.truthPath, 'utf8')) as { features: Array<{ properties?: { class?: string } }> };
  const plots = truth.features.filter((f) => f.properties?.class === 'poppy').length; // look-alikes are in the truth too
  if (!plots) rmSync(w.truthPath);
  console.log(`${seed}: ${gsds[i % gsds.length]} m, ${plots} poppy plots${plots ? '' : ' (truth file left out)'}`);
}
