/**
 * Chooses the verifier's (and its prefilter's) thresholds with real negatives in the balance, and calibrates the
 * verifier's score into the share of candidates so scored that were poppy (isotonic regression), then draws a
 * reliability diagram on a held-out set.
 *
 * Calibration set (fitting): synthetic calibration seeds 8000+ at GSDs in turn (CAL_GSDS), and the REAL images of
 * the training site (every candidate there is false). Held-out set (only measured): synthetic eval seeds 9000+ and
 * the REAL images of the held-out site.
 *   npx tsx packages/synth/scripts/calibrate-real.ts <modelDir> <calScenes> <evalScenes> <trainSitePattern> <heldOutPattern> [--write-card] [--hold <p>,<v>]
 * e.g. … models/poppy-synth 20 10 '../shared/real-aerial/harv-*.tif' '../shared/real-aerial/osbs-*.tif' --write-card
 * CAL_VARIETY=wide: wide-world scenes (scene option variety) for both synthetic sets, to read each threshold's cost there.
 * Threshold rule: among (prefilter, verifier) thresholds keeping synthetic recall of plots ≥ 4 m² at CAL_RECALL
 * (0.95), the fewest false candidates on the training site, then the fewest synthetic false positives, then the
 * highest recall, then the higher prefilter threshold (cheaper). With --write-card: the thresholds and the
 * calibration go into model.json, the diagram into <modelDir>/reliability.png and its numbers into reliability.json.
 * --hold <prefilter>,<verifier> (or --hold <verifier> without a prefilter): the thresholds are not chosen but held at
 * these (fixed by a rule written before any number); the table is still printed, and the calibration is fitted on
 * the candidates the held prefilter threshold passes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { scanImages } from '@tiandi/tiles/node';
import { evalSceneOptions } from '../src/eval/evaluate-model';
import { tiffsIn } from '../src/eval/real-negatives';
import { writeScene } from '../src/write-scene';
import { plotMetrics, type SceneEval } from '../src/metrics/plot-metrics';
import { outlinesTouch } from '@tiandi/geo';
import { polygonRings, truthPlots, type CalibrationPlot } from '../src/eval/calibration-plots';
import { narrowNote, openedModelCopy } from '../src/eval/opened-model';

type Ring = Array<[number, number]>;
type Cand = { rings: Ring[][]; sp: number; sv: number; truth: boolean };
type Run = { plots: CalibrationPlot[]; areaKm2: number; cands: Cand[] };
const [dir, calArg, evalArg, trainPat, heldPat] = process.argv.slice(2);
if (!heldPat)
  throw new Error(
    'usage: calibrate-real.ts <modelDir> <calScenes> <evalScenes> <trainSitePattern> <heldOutPattern> [--write-card] [--hold <prefilter>,<verifier>]',
  );
const cardPath = join(dir, 'model.json');
const card = JSON.parse(readFileSync(cardPath, 'utf8'));
const GSDS = (process.env.CAL_GSDS ?? '0.03,0.05,0.08,0.1,0.12').split(',').map(Number);
const work = mkdtempSync(join(tmpdir(), 'tiandi-calr-'));
const open = openedModelCopy(dir, card, work);
const note = narrowNote(card);
if (note) process.stderr.write(`${note}\n`);
const pre = card.verifier.prefilter;
const holdAt = process.argv.indexOf('--hold');
const hold = holdAt > 0 ? process.argv[holdAt + 1].split(',').map(Number) : undefined;
if (hold && (hold.some((v) => !Number.isFinite(v)) || hold.length !== (pre ? 2 : 1)))
  throw new Error(`--hold wants ${pre ? '<prefilter>,<verifier>' : '<verifier>'}`);

type Props = { score_verify?: number; score_prefilter?: number; image: string };
async function scan(images: string[], out: string) {
  await scanImages({ images, modelDir: open, outDir: out, workers: 1 });
  const fc = JSON.parse(readFileSync(join(out, 'candidates.geojson'), 'utf8')) as {
    features: Array<{ properties: Props; geometry: { type: string; coordinates: unknown } }>;
  };
  const feet = JSON.parse(readFileSync(join(out, 'footprint.geojson'), 'utf8')) as { features: Array<{ properties: { area_km2: number } }> };
  rmSync(out, { recursive: true, force: true });
  return { features: fc.features, areaKm2: feet.features.reduce((a, f) => a + f.properties.area_km2, 0) };
}

async function synthetic(first: number, n: number): Promise<Run[]> {
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) {
    // CAL_VARIETY=wide: the scenes of the wide world instead (to see what each threshold costs there).
    const so = evalSceneOptions(first + i, 150, GSDS[i % GSDS.length], process.env.CAL_VARIETY === 'wide' ? 'wide' : undefined);
    const w = await writeScene(so, work);
    const plots = truthPlots(w.scene, so);
    const r = await scan([w.tifPath], join(work, `scan-${first + i}`));
    rmSync(w.tifPath);
    runs.push({
      plots,
      areaKm2: w.scene.truth.scene.area_km2,
      cands: r.features.map((f) => {
        const rings = polygonRings(f.geometry);
        return {
          rings,
          sp: f.properties.score_prefilter ?? 1,
          sv: f.properties.score_verify ?? 0,
          truth: plots.some((p) => rings.some((rr) => outlinesTouch(rr, p.rings))),
        };
      }),
    });
    process.stderr.write(`scene ${first + i} (${so.gsdM} m) ${r.features.length} candidates\n`);
  }
  return runs;
}

async function real(pattern: string): Promise<Run> {
  const r = await scan(tiffsIn(pattern), join(work, 'scan-real'));
  return {
    plots: [],
    areaKm2: r.areaKm2,
    cands: r.features.map((f) => ({
      rings: polygonRings(f.geometry),
      sp: f.properties.score_prefilter ?? 1,
      sv: f.properties.score_verify ?? 0,
      truth: false,
    })),
  };
}

const cal = await synthetic(8000, Number(calArg));
const trainSite = await real(trainPat);
const held = await synthetic(9000, Number(evalArg));
const heldSite = await real(heldPat);
rmSync(work, { recursive: true, force: true });

const keepAt = (runs: Run[], tp: number, tv: number): SceneEval[] =>
  runs.map((r) => ({
    plots: r.plots,
    areaKm2: r.areaKm2,
    candidates: r.cands.filter((c) => c.sp >= tp && c.sv >= tv).map((c) => ({ rings: c.rings, score: c.sv })),
  }));
const TPS = pre ? [0.05, 0.1, 0.2, 0.3, 0.5] : [0];
const TVS = [0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999];
/** The figures of one (prefilter, verifier) pair of thresholds on every set. */
function rowAt(tp: number, tv: number) {
  const m = plotMetrics(keepAt(cal, tp, tv));
  const h = plotMetrics(keepAt(held, tp, tv));
  return {
    tp,
    tv,
    rec: m.recallGe4m2 ?? 0,
    prec: m.precision ?? 0,
    fp: m.fpPerKm2,
    realFp: trainSite.cands.filter((c) => c.sp >= tp && c.sv >= tv).length,
    heldRec: h.recallGe4m2 ?? 0,
    heldFp: h.fpPerKm2,
    heldRealFp: heldSite.cands.filter((c) => c.sp >= tp && c.sv >= tv).length,
  };
}
const rows: Array<ReturnType<typeof rowAt>> = [];
console.log('prefilter\tverify\tcal recall≥4\tprec\tFP/km²\ttrain-site FP\t| held recall≥4\tFP/km²\theld-site FP');
for (const tp of TPS)
  for (const tv of TVS) {
    const r = rowAt(tp, tv);
    rows.push(r);
    const held3 = (v: number) => (held.length ? v.toFixed(3) : '—');
    console.log([tp, tv, r.rec.toFixed(3), r.prec.toFixed(3), r.fp.toFixed(1), r.realFp, '|', held3(r.heldRec), r.heldFp.toFixed(1), r.heldRealFp].join('\t'));
  }
const minRecall = Number(process.env.CAL_RECALL ?? 0.95);
const ok = rows.filter((r) => r.rec >= minRecall).sort((a, b) => a.realFp - b.realFp || a.fp - b.fp || b.rec - a.rec || b.tp - a.tp);
// --hold: the pair a rule fixed beforehand, not the one chosen here.
const best = hold ? rowAt(pre ? hold[0] : 0, hold[hold.length - 1]) : (ok[0] ?? [...rows].sort((a, b) => b.rec - a.rec || a.realFp - b.realFp)[0]);
console.log(
  `${hold ? 'held (--hold)' : 'chosen'}: prefilter ${best.tp}, verifier ${best.tv} (calibration recall ≥4 m² ${best.rec.toFixed(3)}, ${best.fp.toFixed(1)} FP/km², training site ${best.realFp} false candidates)`,
);

/** Isotonic regression (pool adjacent violators) of labels on scores: monotone steps as (score, probability) points. */
function isotonic(pairs: Array<[number, number]>): { scores: number[]; probabilities: number[] } {
  pairs.sort((a, b) => a[0] - b[0]);
  const blocks: Array<{ lo: number; hi: number; sum: number; n: number }> = [];
  for (const [s, y] of pairs) {
    blocks.push({ lo: s, hi: s, sum: y, n: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].sum / blocks[blocks.length - 2].n >= blocks[blocks.length - 1].sum / blocks[blocks.length - 1].n) {
      const b = blocks.pop()!,
        a = blocks[blocks.length - 1];
      a.hi = b.hi;
      a.sum += b.sum;
      a.n += b.n;
    }
  }
  const scores: number[] = [],
    probabilities: number[] = [];
  const r4 = (v: number) => Math.round(v * 10000) / 10000;
  for (const b of blocks) {
    const p = r4(b.sum / b.n);
    // Each block is flat over its span of scores: a point at both ends (the map interpolates between blocks).
    for (const s of b.lo === b.hi ? [b.lo] : [b.lo, b.hi])
      if (!scores.length || r4(s) >= scores[scores.length - 1]) {
        scores.push(r4(s));
        probabilities.push(p);
      }
  }
  if (scores[0] > 0) {
    scores.unshift(0);
    probabilities.unshift(probabilities[0]);
  }
  if (scores[scores.length - 1] < 1) {
    scores.push(1);
    probabilities.push(probabilities[probabilities.length - 1]);
  }
  return { scores, probabilities };
}
const interp = (c: { scores: number[]; probabilities: number[] }, s: number) => {
  const { scores: x, probabilities: y } = c;
  if (s <= x[0]) return y[0];
  for (let i = 1; i < x.length; i++) if (s <= x[i]) return x[i] === x[i - 1] ? y[i] : y[i - 1] + ((y[i] - y[i - 1]) * (s - x[i - 1])) / (x[i] - x[i - 1]);
  return y[y.length - 1];
};
// Fitted on what the verifier is shown: candidates the chosen prefilter passes, synthetic calibration + training site.
const seen = (runs: Run[]) => runs.flatMap((r) => r.cands).filter((c) => c.sp >= best.tp);
const fitPairs = [...seen(cal), ...seen([trainSite])].map((c): [number, number] => [c.sv, c.truth ? 1 : 0]);
const calib = isotonic(fitPairs);
// Reliability on the held-out set: synthetic eval seeds and the held-out real site.
const heldCands = [...seen(held), ...seen([heldSite])];
const bins = Array.from({ length: 10 }, (_, i) => ({ lo: i / 10, hi: (i + 1) / 10, n: 0, pos: 0, meanP: 0 }));
for (const c of heldCands) {
  const p = interp(calib, c.sv);
  const b = bins[Math.min(9, Math.floor(p * 10))];
  b.n++;
  b.pos += c.truth ? 1 : 0;
  b.meanP += p;
}
const ece = bins.reduce((a, b) => a + (b.n ? Math.abs(b.pos / b.n - b.meanP / b.n) * b.n : 0), 0) / Math.max(1, heldCands.length);
for (const b of bins)
  console.log(
    `p ${b.lo.toFixed(1)}-${b.hi.toFixed(1)}: ${b.n} candidates, mean p ${b.n ? (b.meanP / b.n).toFixed(3) : '—'}, poppy ${b.n ? (b.pos / b.n).toFixed(3) : '—'}`,
  );
console.log(`held-out expected calibration error ${ece.toFixed(4)} on ${heldCands.length} candidates (${heldCands.filter((c) => c.truth).length} poppy)`);

function diagramSvg(): string {
  const W = 640,
    H = 620,
    x0 = 90,
    y0 = 60,
    S = 440;
  const X = (p: number) => x0 + p * S,
    Y = (p: number) => y0 + (1 - p) * S;
  const maxN = Math.max(1, ...bins.map((b) => b.n));
  const bars = bins
    .map((b) => {
      const h = (Math.log10(1 + b.n) / Math.log10(1 + maxN)) * 60;
      return `<rect x="${X(b.lo) + 2}" y="${y0 + S + 75 - h}" width="${S / 10 - 4}" height="${h}" fill="#90a4ae"/><text x="${X(b.lo) + S / 20}" y="${y0 + S + 90}" font-size="10" text-anchor="middle">${b.n}</text>`;
    })
    .join('');
  const pts = bins
    .filter((b) => b.n)
    .map((b) => `<circle cx="${X(b.meanP / b.n)}" cy="${Y(b.pos / b.n)}" r="5" fill="#c62828"/>`)
    .join('');
  const line = bins
    .filter((b) => b.n)
    .map((b, i) => `${i ? 'L' : 'M'}${X(b.meanP / b.n)},${Y(b.pos / b.n)}`)
    .join(' ');
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map(
      (t) =>
        `<text x="${X(t)}" y="${y0 + S + 16}" font-size="11" text-anchor="middle">${t}</text><text x="${x0 - 8}" y="${Y(t) + 4}" font-size="11" text-anchor="end">${t}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="white"/>
<text x="${W / 2}" y="22" font-size="15" text-anchor="middle" font-family="sans-serif">p_poppy reliability on held-out candidates</text>
<text x="${W / 2}" y="42" font-size="12" text-anchor="middle" font-family="sans-serif">synthetic seeds 9000-${9000 + Number(evalArg) - 1} + REAL ${heldPat.split('/').pop()} (no poppy)</text>
<rect x="${x0}" y="${y0}" width="${S}" height="${S}" fill="none" stroke="#333"/>
<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="#999" stroke-dasharray="5,4"/>
<path d="${line}" fill="none" stroke="#c62828" stroke-width="2"/>${pts}${ticks}${bars}
<text x="${x0 + S / 2}" y="${y0 + S + 34}" font-size="12" text-anchor="middle" font-family="sans-serif">calibrated score p_poppy (bin mean)</text>
<text x="18" y="${y0 + S / 2}" font-size="12" text-anchor="middle" font-family="sans-serif" transform="rotate(-90 18 ${y0 + S / 2})">share that was poppy</text>
<text x="${x0 + S / 2}" y="${H - 8}" font-size="11" text-anchor="middle" font-family="sans-serif">bars: candidates per bin (log scale); ECE ${ece.toFixed(3)} on ${heldCands.length} candidates</text></svg>`;
}

if (process.argv.includes('--write-card')) {
  card.verifier = {
    ...card.verifier,
    threshold: best.tv,
    ...(pre ? { prefilter: { ...pre, threshold: best.tp } } : {}),
    calibration: {
      method: 'isotonic',
      scores: calib.scores,
      probabilities: calib.probabilities,
      data: `synthetic calibration seeds 8000-${8000 + Number(calArg) - 1} (GSD ${GSDS.join(', ')} m) and real ${trainPat.split('/').pop()}`,
    },
  };
  writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
  await sharp(Buffer.from(diagramSvg())).png().toFile(join(dir, 'reliability.png'));
  writeFileSync(
    join(dir, 'reliability.json'),
    JSON.stringify(
      {
        held_out: `synthetic seeds 9000-${9000 + Number(evalArg) - 1}, real ${heldPat}`,
        ece: Math.round(ece * 10000) / 10000,
        bins: bins.map((b) => ({
          p_lo: b.lo,
          p_hi: b.hi,
          candidates: b.n,
          mean_p: b.n ? Math.round((b.meanP / b.n) * 1000) / 1000 : null,
          poppy_share: b.n ? Math.round((b.pos / b.n) * 1000) / 1000 : null,
        })),
        chosen: best,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`written to ${cardPath}, ${join(dir, 'reliability.png')}`);
}
