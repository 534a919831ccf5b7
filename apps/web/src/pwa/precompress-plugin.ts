import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

/** Text files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;

/** Writes `<file>.br` and `<file>.gz` beside `file` when that saves bytes; returns the sizes. */
export function precompressFile(file: string): { raw: number; br: number; gz: number } | null {
  const raw = fs.readFileSync(file);
  if (raw.length < 1024) return null;
  const br = zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 10, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
  const gz = zlib.gzipSync(raw, { level: 9 });
  if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br);
  if (gz.length < raw.length) fs.writeFileSync(`${file}.gz`, gz);
  return { raw: raw.length, br: br.length, gz: gz.length };
}

/**
 * Vite plugin: after the build, writes brotli and gzip copies of every text asset, so the server
 * sends a phone on rural 4G the small one (@fastify/static `preCompressed`) without compressing
 * per request.
 */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'tiandi-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      // Also called after a failed build: then there is nothing to compress, and the build's own error must show.
      if (!fs.existsSync(outDir)) return;
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk(outDir)) if (COMPRESSIBLE.test(file)) precompressFile(file);
    },
  };
}
