import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/web, found from this file's location. */
export const WEB_APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

/** The built web app folder (apps/web/dist) if it has been built, else null. */
export function builtWebRoot(): string | null {
  const dist = path.join(WEB_APP_DIR, 'dist');
  return fs.existsSync(path.join(dist, 'index.html')) ? dist : null;
}
