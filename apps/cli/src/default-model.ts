import { existsSync } from 'node:fs';
import path from 'node:path';

/** The default model's folder name under `models/`. */
export const DEFAULT_MODEL = 'models/poppy-synth';

/**
 * The model folder a command uses: `--model` when given (relative to the working folder); otherwise
 * ./models/poppy-synth when the working folder has one (a clone's root, or a site's own copy), else the
 * default model shipped with this CLI, so `tiandi scan` works from the folder the imagery is in.
 */
export function resolveModelDir(cwd: string, given: string | undefined): string {
  if (given !== undefined) return path.resolve(cwd, given);
  const local = path.resolve(cwd, DEFAULT_MODEL);
  if (existsSync(path.join(local, 'model.json'))) return local;
  const shipped = path.resolve(import.meta.dirname, '../../..', DEFAULT_MODEL);
  return existsSync(path.join(shipped, 'model.json')) ? shipped : local;
}
