import fs from 'node:fs';
import path from 'node:path';
import type { TruthReport } from '@tiandi/synth/node';

/** The truth files and images `tiandi eval --truth/--labelled` names, or the one-line reason it cannot use them. */
export type TruthInputs = { truth: string[]; images: string[] } | { error: string };

/**
 * What follows the options: after --real-negatives, more of its folders; after --truth (alone), the images it labels.
 * The two cannot share a command line; names after neither are refused.
 */
export function namedInputs(
  v: { truth?: string[]; labelled?: string[]; 'real-negatives'?: string[] },
  positionals: string[],
  cwd: string,
): { realArgs: string[]; truthIn?: { truth: string[]; images: string[] } } | { error: string } {
  if (positionals.length && !v['real-negatives'] && !v.truth) return { error: `unexpected argument '${positionals[0]}'. Run 'tiandi eval --help'.` };
  if (v.truth && v['real-negatives'])
    return {
      error:
        '--truth and --real-negatives cannot share a command line (both take the names after them): run them apart, or use --labelled <folder> with --real-negatives.',
    };
  const realArgs = [...(v['real-negatives'] ?? []), ...(v.truth ? [] : positionals)];
  if (!v.truth && !v.labelled) return { realArgs };
  const truthIn = truthInputs(v.truth ?? [], v.labelled ?? [], v.truth ? positionals : [], cwd);
  return 'error' in truthIn ? truthIn : { realArgs, truthIn };
}

const TIFF = /\.(tif|tiff)$/i;
const GEOJSON = /\.(geojson|json)$/i;

/**
 * Resolves `--truth <file>... <images>...` and `--labelled <folder>...` (each folder: its GeoTIFFs and its
 * GeoJSON truth files) against `cwd`. Images named directly must exist; a folder must hold both.
 */
export function truthInputs(truthArgs: string[], labelled: string[], imageArgs: string[], cwd: string): TruthInputs {
  const truth = truthArgs.map((t) => path.resolve(cwd, t));
  const images: string[] = [];
  for (const img of imageArgs) {
    const p = path.resolve(cwd, img);
    if (!fs.existsSync(p) || !fs.statSync(p).isFile())
      return { error: `影像不存在 image '${img}' does not exist: name GeoTIFF files after --truth <truth.geojson>` };
    images.push(p);
  }
  for (const folder of labelled) {
    const dir = path.resolve(cwd, folder);
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      return { error: `--labelled '${folder}' is not a readable folder: give a folder holding GeoTIFFs and a truth GeoJSON of their poppy plots` };
    }
    const tifs = names.filter((n) => TIFF.test(n)),
      geo = names.filter((n) => GEOJSON.test(n) && n !== 'scenes.json');
    if (!tifs.length) return { error: `--labelled '${folder}' holds no .tif/.tiff image: put the labelled GeoTIFFs in it` };
    if (!geo.length)
      return {
        error: `--labelled '${folder}' holds no .geojson truth file: add a GeoJSON of the poppy plot polygons (WGS 84, or a CRS named in its "crs" member)`,
      };
    images.push(...tifs.map((n) => path.join(dir, n)));
    truth.push(...geo.map((n) => path.join(dir, n)));
  }
  if (truth.length && !images.length) return { error: '--truth needs images: tiandi eval --truth <truth.geojson> <image.tif>...' };
  return { truth, images };
}

/** Land inside candidates (what teams search): m², its share of the imagery, mean and largest candidate. */
export function landLine(l: { m2: number; share: number; meanM2: number; largestM2: number }): string {
  return `${Math.round(l.m2)} m² = ${(l.share * 100).toFixed(1)} % of the imagery; mean ${l.meanM2.toFixed(0)} m², largest ${l.largestM2.toFixed(0)} m²`;
}

const pc = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);

/** The labelled-imagery table: one row per image, the total, recall by colour and GSD, and the plots missed. */
export function formatTruthReport(r: TruthReport): string {
  const head = ['image', 'GSD m', 'CRS', 'km²', 'plots', 'found', 'recall', '≥4 m²', 'cands', 'false', 'precision', 'false/km²'];
  const row = (name: string, gsd: string, crs: string, km2: number, m: TruthReport['overall']) => [
    name,
    gsd,
    crs,
    km2.toFixed(4),
    String(m.plots),
    String(m.plotsFound),
    pc(m.recall),
    pc(m.recallGe4m2),
    String(m.candidates),
    String(m.fpCandidates),
    pc(m.precision),
    m.fpPerKm2.toFixed(1),
  ];
  const rows = [
    head,
    ...r.files.map((f) => row(f.file, f.gsdM.toFixed(3), f.crs, f.areaKm2, f.metrics)),
    row('全部 ALL', '', '', r.overall.areaKm2, r.overall),
  ];
  const w = head.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  const lines = rows.map((x) => x.map((c, i) => (i < 3 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '));
  const group = (g: TruthReport['byGsd']) =>
    Object.entries(g)
      .map(([k, v]) => `${k} ${v.found}/${v.plots}`)
      .join(', ');
  lines.push(
    `模型 model ${r.model.name} ${r.model.version}; 真值 truth: ${r.truthFiles.length} file(s); found = a candidate touches the plot, false = touches none`,
  );
  lines.push(`候选面积 land in candidates: ${landLine(r.overall.candidateLand)}`);
  lines.push(
    `召回 by size: <5 m² ${pc(r.overall.bySize.lt5m2.recall)}, 5–20 m² ${pc(r.overall.bySize.m2_5to20.recall)}, >20 m² ${pc(r.overall.bySize.gt20m2.recall)}`,
  );
  if (Object.keys(r.overall.byStage).length > 1 || !r.overall.byStage.unknown) lines.push(`召回 by stage: ${group(r.overall.byStage)}`);
  if (Object.keys(r.byColour).length) lines.push(`召回 by colour: ${group(r.byColour)}`);
  if (Object.keys(r.byGsd).length > 1) lines.push(`召回 by GSD: ${group(r.byGsd)}`);
  for (const m of r.missed) {
    const extra = ['colour', 'density']
      .filter((k) => m.properties[k] !== undefined)
      .map((k) => `${k} ${m.properties[k]}`)
      .join(', ');
    lines.push(
      `  漏检 missed ${m.id} on ${m.file}: ${m.areaM2} m², ${m.stage}${extra ? `, ${extra}` : ''} at ${m.lonLat[0].toFixed(6)}, ${m.lonLat[1].toFixed(6)}`,
    );
  }
  for (const c of r.falseCandidates)
    lines.push(`  误报 false candidate on ${c.file} at ${c.lonLat[0].toFixed(6)}, ${c.lonLat[1].toFixed(6)} (score ${c.score.toFixed(2)})`);
  const poor = r.files.reduce((t, f) => t + (f.poorKm2 ?? 0), 0);
  if (poor > 0)
    lines.push(
      `注意 NOTE: ${poor.toFixed(4)} km² of it the scan judged too poor to count as covered (blurred, hazy …: see its quality.geojson); plots and candidates there are counted here`,
    );
  if (r.outside.length)
    lines.push(
      `注意 NOTE: ${r.outside.length} truth plot(s) lie on no scanned image and are left out (${r.outside
        .slice(0, 3)
        .map((o) => o.id)
        .join(', ')}${r.outside.length > 3 ? ', …' : ''}); if that is unexpected, check the truth file's CRS`,
    );
  for (const f of r.failed) lines.push(`  失败 failed ${f.image}: ${f.message}`);
  return lines.join('\n') + '\n';
}
