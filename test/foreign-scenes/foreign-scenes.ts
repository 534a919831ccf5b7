import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The generator script (Python: numpy, PIL, gdal_translate), written apart from packages/synth. */
export const GENERATOR = join(dirname(fileURLToPath(import.meta.url)), 'foreign_scenes.py');
/** The third generator (test/third-scenes), written apart from both, with the same command line and output. */
export const THIRD_GENERATOR = join(dirname(fileURLToPath(import.meta.url)), '../third-scenes/third_scenes.py');

/** A Python with numpy and PIL: FOREIGN_PYTHON, else Debian's (python3-pil), else whatever python3 is on PATH. */
export function foreignPython(): string {
  return process.env.FOREIGN_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
}

/** Why foreign scenes cannot be made here (no numpy/PIL or no gdal_translate), or undefined when they can. */
export function foreignUnavailable(): string | undefined {
  const py = spawnSync(foreignPython(), ['-c', 'import numpy, PIL'], { encoding: 'utf8' });
  if (py.status !== 0) return `${foreignPython()} lacks numpy or PIL (apt-get install python3-numpy python3-pil)`;
  if (spawnSync('gdal_translate', ['--version'], { encoding: 'utf8' }).status !== 0) return 'gdal_translate not found (apt-get install gdal-bin)';
  return undefined;
}

/** Runs the generator at low priority (the machine is shared); its progress lines go to stderr when `show`. */
export function generateForeignScenes(out: string, opts: { scenes: number; seed: number; sizeM: number; gsd?: string; show?: boolean; script?: string }): void {
  const args = [
    '-n',
    '10',
    foreignPython(),
    opts.script ?? GENERATOR,
    '--out',
    out,
    '--scenes',
    String(opts.scenes),
    '--seed',
    String(opts.seed),
    '--size-m',
    String(opts.sizeM),
    ...(opts.gsd ? ['--gsd', opts.gsd] : []),
  ];
  const r = spawnSync('nice', args, { encoding: 'utf8', stdio: ['ignore', 'inherit', opts.show ? 'inherit' : 'pipe'] });
  if (r.status !== 0) throw new Error(`foreign scene generator failed (exit ${r.status}): ${r.stderr ?? ''}`);
}
