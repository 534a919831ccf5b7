import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { Plugin } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The web app manifest: installable, standalone, portrait, high-contrast theme. */
export const WEB_MANIFEST = {
  name: '天地协同 Tiandi',
  short_name: '天地协同',
  description: '禁种铲毒无人机与地面协同调查 Drone and ground survey of illicit poppy',
  start_url: './#/field',
  scope: './',
  display: 'standalone',
  orientation: 'portrait',
  background_color: '#ffffff',
  theme_color: '#0b3d2e',
  lang: 'zh-CN',
  icons: [
    { src: './icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    { src: './icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
  ],
};

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#0b3d2e"/><path d="M96 352h320v48H96zM256 96l112 208H144z" fill="#ffd166"/><text x="256" y="470" font-size="64" text-anchor="middle" fill="#fff" font-family="sans-serif">天地</text></svg>`;

/**
 * Bundles sw.ts (and the outbox modules it imports) into the classic script served at /sw.js,
 * with the precache list and build id filled in.
 */
export function buildServiceWorker(precache: string[], buildId: string): string {
  const out = buildSync({
    entryPoints: [path.join(here, 'sw.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    define: { __TIANDI_PRECACHE__: JSON.stringify(precache), __TIANDI_BUILD__: JSON.stringify(buildId), 'import.meta.hot': 'undefined' },
  });
  return out.outputFiles[0].text;
}

/**
 * Vite plugin making the web app an installable, offline PWA: emits sw.js (precaching every file
 * of the build), manifest.webmanifest and icon.svg, and links the manifest from index.html.
 */
export function tiandiPwa(): Plugin {
  return {
    name: 'tiandi-pwa',
    apply: 'build',
    transformIndexHtml() {
      return [
        { tag: 'link', attrs: { rel: 'manifest', href: './manifest.webmanifest' }, injectTo: 'head' },
        { tag: 'meta', attrs: { name: 'theme-color', content: WEB_MANIFEST.theme_color }, injectTo: 'head' },
        { tag: 'link', attrs: { rel: 'icon', href: './icon.svg', type: 'image/svg+xml' }, injectTo: 'head' },
        { tag: 'link', attrs: { rel: 'apple-touch-icon', href: './icon.svg' }, injectTo: 'head' },
      ];
    },
    generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: 'manifest.webmanifest', source: JSON.stringify(WEB_MANIFEST, null, 2) });
      this.emitFile({ type: 'asset', fileName: 'icon.svg', source: ICON_SVG });
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'sw.js');
      const precache = [...new Set(['./', './index.html', './manifest.webmanifest', './icon.svg', ...files.map((f) => `./${f}`)])];
      const buildId = Buffer.from(files.sort().join('|')).toString('base64url').slice(-16) + '-' + files.length;
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: buildServiceWorker(precache, buildId) });
    },
  };
}
