import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanImages, type LabelWindow, type VerifierWindow } from '@tiandi/tiles/node';
import { outlinesTouch } from '@tiandi/geo';
import { writeScene } from '../write-scene';

type Ring = Array<[number, number]>;

/** A square of half-side m metres around a WGS 84 point, as a ring. */
export function square([lon, lat]: [number, number], m: number): Ring {
  const dy = m / 111_320,
    dx = m / (111_320 * Math.cos((lat * Math.PI) / 180));
  return [
    [lon - dx, lat - dy],
    [lon + dx, lat - dy],
    [lon + dx, lat + dy],
    [lon - dx, lat + dy],
    [lon - dx, lat - dy],
  ];
}

/**
 * Positive verifier windows from synthetic scenes, for adapting a verifier where an office has few real positives:
 * each scene is scanned with the model's first stage (verifier off, so every candidate's windows are seen) and the
 * windows within 0.3 m of a poppy plot are kept, read by the same reader as in use. Seeds 2100+ by default, used
 * neither for training (1000–1999) nor for calibration (8000+) nor for evaluation (9000+). Synthetic, so labelled so.
 */
export async function syntheticPositiveWindows(
  modelDir: string,
  o: { scenes: number; firstSeed?: number; onScene?: (seed: number, n: number) => void },
): Promise<LabelWindow[]> {
  const work = mkdtempSync(join(tmpdir(), 'tiandi-synpos-'));
  const out: LabelWindow[] = [];
  try {
    for (let seed = o.firstSeed ?? 2100; seed < (o.firstSeed ?? 2100) + o.scenes; seed++) {
      const gsdM = [0.05, 0.08, 0.1][seed % 3];
      const w = await writeScene({ seed, gsdM, crs: 'EPSG:32648', widthPx: Math.round(120 / gsdM), plotsPerHa: 6 }, work);
      const truth = JSON.parse(readFileSync(w.truthPath, 'utf8')) as { features: Array<{ properties: { class: string }; geometry: { coordinates: Ring[] } }> };
      const plots = truth.features.filter((f) => f.properties.class === 'poppy').map((f) => f.geometry.coordinates);
      const windows: VerifierWindow[] = [];
      await scanImages({
        images: [w.tifPath],
        modelDir,
        outDir: join(work, `scan-${seed}`),
        workers: 1,
        verify: false,
        onVerifierWindow: (v) => windows.push(v),
      });
      let n = 0;
      for (const v of windows) {
        if (!plots.some((p) => outlinesTouch([square(v.lonLat, 0.3)], p))) continue;
        out.push({ raster: v.raster, label: 1, item: `synthetic-${seed}:${v.candidateId}`, group: `synthetic-${seed}`, source: 'synthetic' });
        n++;
      }
      rmSync(join(work, `scan-${seed}`), { recursive: true, force: true });
      rmSync(w.tifPath, { force: true });
      o.onScene?.(seed, n);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
