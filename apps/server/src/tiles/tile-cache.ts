import fs from 'node:fs';
import path from 'node:path';

/**
 * A disk cache of encoded tiles: <dir>/<sourceId>/<z>/<x>/<y>.png, and `<y>.empty` markers for
 * tiles with nothing to show. Written to a temporary name then renamed.
 */
export class TileCache {
  constructor(readonly dir: string) {}

  private file(sourceId: string, z: number, x: number, y: number): string {
    return path.join(this.dir, sourceId, String(z), String(x), `${y}.png`);
  }

  /** The cached PNG, `'empty'` for a known-empty tile, or null when not cached. */
  get(sourceId: string, z: number, x: number, y: number): Buffer | 'empty' | null {
    const f = this.file(sourceId, z, x, y);
    if (fs.existsSync(f)) return fs.readFileSync(f);
    if (fs.existsSync(f.replace(/\.png$/, '.empty'))) return 'empty';
    return null;
  }

  put(sourceId: string, z: number, x: number, y: number, png: Buffer | 'empty'): void {
    const f = this.file(sourceId, z, x, y);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const target = png === 'empty' ? f.replace(/\.png$/, '.empty') : f;
    const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, png === 'empty' ? '' : png);
    fs.renameSync(tmp, target);
  }

  /** Drops every cached tile of a source (after its file changed). */
  clear(sourceId: string): void {
    fs.rmSync(path.join(this.dir, sourceId), { recursive: true, force: true });
  }
}
