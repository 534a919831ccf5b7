import fs from 'node:fs';
import path from 'node:path';

/**
 * A disk cache of encoded tiles, <dir>/<sourceId>/<z>/<x>/<y>.png, written to a temporary name then
 * renamed. Tiles with nothing to show are remembered in memory only (a bounded LRU), so requests
 * for empty tiles never create files or folders.
 */
export class TileCache {
  private readonly empty = new Map<string, true>();

  constructor(
    readonly dir: string,
    private readonly maxEmpty = 100_000,
  ) {}

  private file(sourceId: string, z: number, x: number, y: number): string {
    return path.join(this.dir, sourceId, String(z), String(x), `${y}.png`);
  }

  /** The cached PNG, `'empty'` for a known-empty tile, or null when not cached. */
  get(sourceId: string, z: number, x: number, y: number): Buffer | 'empty' | null {
    if (this.empty.has(`${sourceId}/${z}/${x}/${y}`)) return 'empty';
    const f = this.file(sourceId, z, x, y);
    try {
      return fs.readFileSync(f);
    } catch {
      return null;
    }
  }

  put(sourceId: string, z: number, x: number, y: number, png: Buffer | 'empty'): void {
    if (png === 'empty') {
      this.empty.set(`${sourceId}/${z}/${x}/${y}`, true);
      if (this.empty.size > this.maxEmpty) this.empty.delete(this.empty.keys().next().value as string);
      return;
    }
    const f = this.file(sourceId, z, x, y);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const tmp = `${f}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      fs.writeFileSync(tmp, png);
      fs.renameSync(tmp, f);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** Drops every cached tile of a source (after its file changed). */
  clear(sourceId: string): void {
    for (const k of this.empty.keys()) if (k.startsWith(`${sourceId}/`)) this.empty.delete(k);
    fs.rmSync(path.join(this.dir, sourceId), { recursive: true, force: true });
  }
}
