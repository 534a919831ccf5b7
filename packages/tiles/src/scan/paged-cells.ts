import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';

type CellArray = Float32Array | Uint32Array | Uint16Array | Uint8Array;
type CellArrayClass<T extends CellArray> = { new (n: number): T; readonly BYTES_PER_ELEMENT: number };

/** Where a paged grid's pages go when they leave memory, and how much memory they may take. */
export interface PagedCellsOptions {
  /** Temporary file for pages that leave the cache (created when the first one does, removed by close()). Without it every page stays in memory. */
  path?: string;
  /** Bytes of pages kept in memory; at least two rows of pages are kept whatever it says. */
  cacheBytes?: number;
  /** Page edge in cells (a power of two). */
  pageEdge?: number;
}

/**
 * A width × height grid of numbers (one typed-array type) held in square pages, a bounded number of them in
 * memory (least recently used leave first, written to a temporary file when changed), so a grid of any size
 * takes the same memory: the scan's heatmap of a 20-Gpx image is 125 M cells. Pages never written read as
 * zeros, as a new typed array would. Not for several threads: one scanning thread adds to it.
 */
export class PagedCells<T extends CellArray> {
  readonly pagesAcross: number;
  readonly pagesDown: number;
  /** Pages the cache holds at most. */
  readonly capacity: number;
  private readonly shift: number;
  private readonly edge: number;
  private readonly pageBytes: number;
  /** Pages in memory, least recently used first (a Map keeps insertion order). */
  private readonly cache = new Map<number, T>();
  /** 1 where the page in memory differs from the file. */
  private readonly dirty: Uint8Array;
  /** 1 where the page has been written to the file. */
  private readonly onDisk: Uint8Array;
  private fd = -1;
  /** A grid another one flushed, read from its file (readFrom): its file is not this one's to remove. */
  private borrowed = false;
  private lastIndex = -1;
  private lastPage: T | undefined;

  constructor(
    private readonly type: CellArrayClass<T>,
    readonly width: number,
    readonly height: number,
    private readonly o: PagedCellsOptions = {},
  ) {
    this.edge = o.pageEdge ?? 128;
    this.shift = Math.log2(this.edge);
    if (!Number.isInteger(this.shift)) throw new RangeError(`page edge must be a power of two, got ${this.edge}`);
    this.pagesAcross = Math.max(1, Math.ceil(width / this.edge));
    this.pagesDown = Math.max(1, Math.ceil(height / this.edge));
    this.pageBytes = this.edge * this.edge * type.BYTES_PER_ELEMENT;
    const pages = this.pagesAcross * this.pagesDown;
    this.capacity = o.path ? Math.min(pages, Math.max(2 * this.pagesAcross + 2, Math.floor((o.cacheBytes ?? 16 << 20) / this.pageBytes))) : pages;
    this.onDisk = new Uint8Array(o.path ? pages : 0);
    this.dirty = new Uint8Array(o.path ? pages : 0);
  }

  /** Bytes the cache may hold at most for a grid of this size (what a memory plan counts). */
  static cacheBytesFor(bytesPerCell: number, width: number, height: number, o: Omit<PagedCellsOptions, 'path'> = {}): number {
    const edge = o.pageEdge ?? 128;
    const across = Math.max(1, Math.ceil(width / edge));
    const pages = across * Math.max(1, Math.ceil(height / edge));
    const pageBytes = edge * edge * bytesPerCell;
    return Math.min(pages, Math.max(2 * across + 2, Math.floor((o.cacheBytes ?? 16 << 20) / pageBytes))) * pageBytes;
  }

  /** The file pages leave memory for, if any. */
  get file(): string | undefined {
    return this.o.path;
  }

  /** Page edge in cells: page (px, py) holds cells [px·edge, (px + 1)·edge) × [py·edge, (py + 1)·edge). */
  get pageEdge(): number {
    return this.edge;
  }

  /** The value of cell (x, y). */
  at(x: number, y: number): number {
    return this.pageOf(x, y)[((y & (this.edge - 1)) << this.shift) | (x & (this.edge - 1))];
  }

  /** Sets cell (x, y) (stored as the array type stores it: a float32 rounds, an integer truncates). */
  put(x: number, y: number, v: number): void {
    const p = this.pageOf(x, y);
    if (this.dirty.length) this.dirty[this.lastIndex] = 1;
    p[((y & (this.edge - 1)) << this.shift) | (x & (this.edge - 1))] = v;
  }

  /** The value of row-major cell i. */
  get(i: number): number {
    const x = i % this.width;
    return this.at(x, (i - x) / this.width);
  }

  /** Sets row-major cell i. */
  set(i: number, v: number): void {
    const x = i % this.width;
    this.put(x, (i - x) / this.width, v);
  }

  /** Rows [y0, y0 + n) of the grid, row-major, in a new array. */
  readRows(y0: number, n: number): T {
    const w = this.width;
    const out = new this.type(w * n);
    for (let y = y0; y < y0 + n; y++) {
      const ly = (y & (this.edge - 1)) << this.shift;
      for (let px = 0; px < this.pagesAcross; px++) {
        const x0 = px << this.shift;
        const page = this.pageOf(x0, y);
        const len = Math.min(this.edge, w - x0);
        out.set(page.subarray(ly, ly + len), (y - y0) * w + x0);
      }
    }
    return out;
  }

  /**
   * The array of page (px, py), edge × edge cells row-major (cells past the grid's edge included), for loops over
   * whole pages; changed when `change` is set. Valid until the next access to this grid.
   */
  page(px: number, py: number, change = false): T {
    const p = this.pageOf(px << this.shift, py << this.shift);
    if (change && this.dirty.length) this.dirty[this.lastIndex] = 1;
    return p;
  }

  /**
   * Writes every page to the file (changed pages in memory, and zeros for pages never written), so that another
   * thread may read the grid from there ({@link readFrom}) while this one goes on reading it; nothing may change it
   * after. Only for a grid with a file.
   */
  flush(): void {
    if (!this.o.path) throw new RangeError('a grid without a file cannot be flushed');
    for (const [idx, page] of this.cache) {
      if (this.dirty[idx] || !this.onDisk[idx]) this.writePage(idx, page);
      this.dirty[idx] = 0;
    }
    const zeros = new this.type(this.edge * this.edge);
    for (let idx = 0; idx < this.onDisk.length; idx++) if (!this.onDisk[idx]) this.writePage(idx, zeros);
  }

  /** A grid {@link flush}ed to `o.path` by another, read from there with a cache of its own; its file stays when closed. */
  static readFrom<T extends CellArray>(type: CellArrayClass<T>, width: number, height: number, o: PagedCellsOptions & { path: string }): PagedCells<T> {
    const g = new PagedCells(type, width, height, o);
    g.fd = openSync(o.path, 'r');
    g.onDisk.fill(1);
    g.borrowed = true;
    return g;
  }

  /** Pages now in memory. */
  get pagesInMemory(): number {
    return this.cache.size;
  }

  /** Frees the pages in memory and removes the file. */
  close(): void {
    this.cache.clear();
    this.dirty.fill(0);
    this.lastIndex = -1;
    this.lastPage = undefined;
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
      if (!this.borrowed) rmSync(this.o.path!, { force: true });
    }
  }

  private pageOf(x: number, y: number): T {
    const idx = (y >> this.shift) * this.pagesAcross + (x >> this.shift);
    if (idx === this.lastIndex) return this.lastPage!;
    let page = this.cache.get(idx);
    if (page) {
      // Most recently used goes last.
      this.cache.delete(idx);
      this.cache.set(idx, page);
    } else page = this.load(idx);
    this.lastIndex = idx;
    this.lastPage = page;
    return page;
  }

  /** Brings page idx into memory, reusing the array of the page that leaves when the cache is full. */
  private load(idx: number): T {
    let page: T | undefined;
    if (this.cache.size >= this.capacity) {
      const [old, arr] = this.cache.entries().next().value as [number, T];
      this.cache.delete(old);
      if (this.dirty[old]) this.writePage(old, arr);
      this.dirty[old] = 0;
      page = arr;
    }
    if (this.onDisk.length && this.onDisk[idx]) {
      page ??= new this.type(this.edge * this.edge);
      readSync(this.fd, new Uint8Array(page.buffer, page.byteOffset, this.pageBytes), 0, this.pageBytes, idx * this.pageBytes);
    } else if (page) page.fill(0);
    else page = new this.type(this.edge * this.edge);
    this.cache.set(idx, page);
    return page;
  }

  private writePage(idx: number, page: T): void {
    if (this.fd < 0) this.fd = openSync(this.o.path!, 'w+');
    writeSync(this.fd, new Uint8Array(page.buffer, page.byteOffset, this.pageBytes), 0, this.pageBytes, idx * this.pageBytes);
    this.onDisk[idx] = 1;
  }
}
