import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './src/pwa/precompress-plugin';
import { tiandiPwa } from './src/pwa/sw-plugin';

// The single-page app builds into apps/web/dist, which `tiandi serve` / `tiandi demo` serve at /.
// In development (`npx vite apps/web`) API calls are proxied to a running `tiandi serve` on :8080.
export default defineConfig({
  root: __dirname,
  base: './',
  // Hashed file names under assets/ (Vite's default) are served immutable; precompress writes .br/.gz beside them.
  plugins: [tiandiPwa(), precompress()],
  // xmlbuilder2 (GPX export in packages/planner) extends Node's EventEmitter and imports two functions of Node's
  // url module: give the browser small ones.
  resolve: {
    alias: {
      events: fileURLToPath(new URL('./src/shims/events.ts', import.meta.url)),
      url: fileURLToPath(new URL('./src/shims/url.ts', import.meta.url)),
    },
  },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/files': 'http://127.0.0.1:8080' } },
});
