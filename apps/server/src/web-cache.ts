import path from 'node:path';

/** Cache-Control of a built web file: Vite's content-hashed assets/ never change; the rest is checked each load. */
export function webCacheControl(filePath: string): string {
  return filePath.split(path.sep).includes('assets') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** @fastify/static `setHeaders` (called with the reply): sets {@link webCacheControl}. */
export function setWebCacheHeaders(reply: { header(name: string, value: string): unknown }, filePath: string): void {
  reply.header('cache-control', webCacheControl(filePath));
}
