import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { RasterKind, RasterSource } from './raster-source';
import { openRasterSource } from './raster-source';

/** A GeoTIFF the server can draw as map tiles. */
export interface RasterEntry {
  id: string;
  kind: RasterKind;
  /** What the user sees (file name). */
  name: string;
  file: string;
  /** The scan job or workspace image it belongs to, when known. */
  jobId?: string;
  imageId?: string | null;
  /** Acquisition or scan time, for ordering. */
  time?: string;
}

/** Something that knows rasters (finished scan jobs, workspace images). */
export type RasterProvider = () => Promise<Omit<RasterEntry, 'id'>[]> | Omit<RasterEntry, 'id'>[];

/** Bump when tile rendering changes, so cached tiles of the old look are not reused. */
const RENDER_VERSION = 3;

/** A stable id for a raster file: changes when the file (or the renderer) does, so cached tiles never go stale. */
export function rasterId(file: string, kind: RasterKind): string {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return createHash('sha256')
    .update(`${RENDER_VERSION}\0${kind}\0${file}\0${st?.size ?? 0}\0${st?.mtimeMs ?? 0}`)
    .digest('hex')
    .slice(0, 20);
}

/**
 * All rasters known to the server, from its providers, and the opened sources (kept open in a
 * small LRU so panning does not re-read headers).
 */
export class RasterCatalog {
  private readonly providers: RasterProvider[] = [];
  private readonly open = new Map<string, Promise<RasterSource>>();
  private readonly byId = new Map<string, RasterEntry>();

  constructor(private readonly maxOpen = 16) {}

  addProvider(p: RasterProvider): void {
    this.providers.push(p);
  }

  /** Every raster whose file exists, de-duplicated by file. */
  async list(): Promise<RasterEntry[]> {
    const seen = new Set<string>();
    const out: RasterEntry[] = [];
    for (const p of this.providers) {
      for (const e of await p()) {
        const key = `${e.kind}:${e.file}`;
        if (seen.has(key) || !fs.existsSync(e.file)) continue;
        seen.add(key);
        const entry = { ...e, id: rasterId(e.file, e.kind) };
        this.byId.set(entry.id, entry);
        out.push(entry);
      }
    }
    return out;
  }

  async get(id: string): Promise<RasterEntry | undefined> {
    if (!this.byId.has(id)) await this.list();
    return this.byId.get(id);
  }

  /** The opened source of a raster (opened once, then reused). */
  source(entry: RasterEntry): Promise<RasterSource> {
    let p = this.open.get(entry.id);
    if (p) {
      this.open.delete(entry.id);
      this.open.set(entry.id, p);
      return p;
    }
    p = openRasterSource(entry.file, entry.kind);
    p.catch(() => this.open.delete(entry.id));
    this.open.set(entry.id, p);
    while (this.open.size > this.maxOpen) {
      const oldest = this.open.keys().next().value!;
      const old = this.open.get(oldest);
      this.open.delete(oldest);
      void old?.then((s) => s.reader.close()).catch(() => undefined);
    }
    return p;
  }

  async close(): Promise<void> {
    for (const p of this.open.values()) await p.then((s) => s.reader.close()).catch(() => undefined);
    this.open.clear();
  }
}
