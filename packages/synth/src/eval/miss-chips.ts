import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { toWgs84 } from '@tiandi/geo';
import { invertGeoTransform } from '@tiandi/tiles';
import { openGeoTiffSource, type GeoTiffSource } from '@tiandi/tiles/node';
import { readTruthFile, type TruthReport } from './truth-eval';

/** Longest side of a picture, in pixels (larger windows are averaged down to it). */
const MAX_PX = 512;
/** Ground shown around a missed plot beyond its own size, and around a false candidate (whose size the report does not keep). */
const MARGIN_M = 3;
const FALSE_HALF_M = 12;

/** A window of one image to draw, with what to mark on it (lon/lat rings, or a point). */
interface Picture {
  file: string;
  name: string;
  centre: [number, number];
  halfM: number;
  rings?: [number, number][][];
}

/**
 * Pictures of what a labelled evaluation got wrong, for people who would rather look than read coordinates: one PNG
 * per missed plot (its truth outline in red, with its size and 3 m around it) and per false candidate (12 m around
 * it, a yellow ring where it lies), read from the image with the scan's own reader. Names say what each is:
 * `missed_<id>_<stage>_<colour>_<area>m2_<gsd>cm.png`, `false-<n>_<image>_score<s>.png`. Returns the count written.
 */
export async function writeMissChips(report: TruthReport, images: string[], outDir: string): Promise<number> {
  mkdirSync(outDir, { recursive: true });
  const pictures = [...missedPictures(report), ...falsePictures(report)];
  const byFile = new Map<string, Picture[]>();
  for (const p of pictures) byFile.get(p.file)?.push(p) ?? byFile.set(p.file, [p]);
  let written = 0;
  for (const [file, list] of byFile) {
    const path = images.find((i) => basename(i) === file);
    if (!path) continue;
    const src = await openGeoTiffSource(path);
    try {
      const fromWgs = toWgs84(src.crs);
      const toPixel = (ll: [number, number]) => invertGeoTransform(src.geoTransform, ...(fromWgs.inverse(ll) as [number, number]));
      for (const p of list) written += (await writePicture(src, toPixel, p, join(outDir, p.name))) ? 1 : 0;
    } finally {
      await src.close();
    }
  }
  return written;
}

const safe = (s: unknown) => String(s).replace(/[^\w.-]+/g, '-');

function missedPictures(report: TruthReport): Picture[] {
  const truths = new Map<string, ReturnType<typeof readTruthFile>>();
  const gsdOf = new Map(report.files.map((f) => [f.file, f.gsdM]));
  return report.missed.map((m) => {
    if (!truths.has(m.source)) truths.set(m.source, readTruthFile(m.source));
    const plot = truths.get(m.source)!.find((t) => t.id === m.id);
    const colour = m.properties.colour ?? m.properties.flower_colours ?? 'none';
    const cm = Math.round((gsdOf.get(m.file) ?? 0) * 100);
    return {
      file: m.file,
      name: `missed_${safe(m.id)}_${safe(m.stage)}_${safe(colour)}_${m.areaM2.toFixed(1)}m2_${cm}cm.png`,
      centre: m.lonLat,
      halfM: Math.sqrt(m.areaM2) * 1.2 + MARGIN_M,
      rings: plot?.rings as [number, number][][] | undefined,
    };
  });
}

function falsePictures(report: TruthReport): Picture[] {
  return report.falseCandidates.map((c, i) => ({
    file: c.file,
    name: `false-${i + 1}_${safe(c.file.replace(/\.tiff?$/i, ''))}_score${c.score.toFixed(2)}.png`,
    centre: c.lonLat,
    halfM: FALSE_HALF_M,
  }));
}

/** Reads the picture's window (clipped to the image), draws its marks, writes the PNG; false when it lies off the image. */
async function writePicture(src: GeoTiffSource, toPixel: (ll: [number, number]) => [number, number], p: Picture, out: string): Promise<boolean> {
  const [cx, cy] = toPixel(p.centre);
  const hx = p.halfM / src.gsdM.x;
  const hy = p.halfM / src.gsdM.y;
  const x0 = Math.max(0, Math.floor(cx - hx));
  const y0 = Math.max(0, Math.floor(cy - hy));
  const x1 = Math.min(src.width, Math.ceil(cx + hx));
  const y1 = Math.min(src.height, Math.ceil(cy + hy));
  if (x1 - x0 < 2 || y1 - y0 < 2) return false;
  const k = Math.min(1, MAX_PX / Math.max(x1 - x0, y1 - y0));
  const w = Math.max(1, Math.round((x1 - x0) * k));
  const h = Math.max(1, Math.round((y1 - y0) * k));
  const r = await src.readWindow([x0, y0, x1, y1], w, h);
  const at = (ll: [number, number]) => {
    const [px, py] = toPixel(ll);
    return `${((px - x0) * k).toFixed(1)},${((py - y0) * k).toFixed(1)}`;
  };
  const marks = p.rings
    ? p.rings.map((ring) => `<polygon points="${ring.map(at).join(' ')}" fill="none" stroke="#ff1744" stroke-width="2"/>`).join('')
    : `<circle cx="${((cx - x0) * k).toFixed(1)}" cy="${((cy - y0) * k).toFixed(1)}" r="${Math.max(6, Math.round(Math.min(w, h) / 6))}" fill="none" stroke="#ffea00" stroke-width="2"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${marks}</svg>`;
  await sharp(Buffer.from(r.rgb.buffer, r.rgb.byteOffset, r.rgb.byteLength), { raw: { width: w, height: h, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .png()
    .toFile(out);
  return true;
}
