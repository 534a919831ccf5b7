import fs from 'node:fs';

/**
 * A file's bytes, read once and kept until its size or modification time changes, so a large file
 * served on every request is read (asynchronously) only when it was rewritten.
 */
export class CachedFile {
  private cached: { key: string; bytes: Promise<Buffer> } | null = null;

  constructor(readonly file: string) {}

  /** The current bytes, or null when the file does not exist. */
  async read(): Promise<Buffer | null> {
    const st = await fs.promises.stat(this.file).catch(() => null);
    if (!st) {
      this.cached = null;
      return null;
    }
    const key = `${st.size}:${st.mtimeMs}:${st.ino}`;
    if (this.cached?.key !== key) {
      const bytes = fs.promises.readFile(this.file);
      this.cached = { key, bytes };
      bytes.catch(() => { if (this.cached?.bytes === bytes) this.cached = null; });
    }
    return this.cached.bytes;
  }
}
