/**
 * Compares getCrs + proj4js with gdaltransform on a sample of the EPSG dataset's geographic and projected CRSs
 * (every `step`-th code, at the centre of each area of use), and lists those more than 0.1 m apart with the reason
 * to look for (a different transformation chosen by PROJ, a missing grid, a projection proj4js lacks).
 * Usage: npx tsx packages/geo/scripts/compare-gdal.ts [step=17]   (needs gdal-bin)
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { getCrs, toWgs84 } from '../src/crs/index';

const step = Number(process.argv[2] ?? 17);
const all = createRequire(import.meta.url)('epsg-index/all.json') as Record<string, { kind: string }>;
const codes = Object.keys(all)
  .filter((k) => all[k].kind === 'CRS-PROJCRS' || all[k].kind === 'CRS-GEOGCRS')
  .map(Number)
  .filter((_, i) => i % step === 0);
const far: string[] = [];
let agree = 0,
  refused = 0,
  gdalCannot = 0;
for (const code of codes) {
  let crs;
  try {
    crs = getCrs(code);
  } catch (e) {
    refused++;
    far.push(`${code}\trefused\t${(e as Error).message.slice(0, 100)}`);
    continue;
  }
  if (!crs.areaOfUse) continue;
  const [w, s, e, n] = crs.areaOfUse;
  const lon = (w + e) / 2,
    lat = (s + n) / 2;
  let ref: number[];
  try {
    ref = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', `EPSG:${code}`, '-output_xy'], {
      input: `${lon} ${lat}\n`,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'ignore'],
    })
      .trim()
      .split(/\s+/)
      .map(Number);
  } catch {
    gdalCannot++;
    continue;
  }
  if (ref.length < 2 || !ref.every(Number.isFinite)) {
    gdalCannot++;
    continue;
  }
  let ours: [number, number];
  try {
    ours = toWgs84(crs).inverse([lon, lat]);
  } catch {
    far.push(`${code}\tno transform\t${crs.name}`);
    continue;
  }
  const d =
    crs.units === 'degree'
      ? Math.hypot((ours[0] - ref[0]) * 111_320 * Math.cos((lat * Math.PI) / 180), (ours[1] - ref[1]) * 110_574)
      : Math.hypot(ours[0] - ref[0], ours[1] - ref[1]);
  if (d < 0.1) agree++;
  else far.push(`${code}\t${d.toFixed(2)} m\t${crs.name}${crs.note ? '\t(note: ' + crs.note.split(':')[1]?.trim().slice(0, 40) + ')' : ''}`);
}
console.log(
  `sampled ${codes.length} CRSs (every ${step}th): ${agree} within 0.1 m of gdaltransform, ${far.length - refused} farther, ${refused} refused by getCrs, ${gdalCannot} GDAL could not transform`,
);
for (const l of far) console.log(l);
