import { spawnSync } from 'node:child_process';

let cached: boolean | undefined;

/** Whether GDAL's command-line tools (gdal_translate, gdalinfo, gdaltransform) are on PATH. */
export function gdalAvailable(): boolean {
  if (cached === undefined) {
    cached = spawnSync('gdalinfo', ['--version'], { encoding: 'utf8' }).status === 0;
    if (!cached) {
      process.stderr.write(
        '\n[tiles] NOTICE: GDAL (gdal-bin) not found — GDAL-generated and GDAL-checked cases are SKIPPED. apt-get install gdal-bin to run them.\n\n',
      );
    }
  }
  return cached;
}

/** Runs a GDAL tool and returns stdout; throws with stderr on failure. */
export function gdal(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}
