import type { FieldAssignment, RasterInfo } from '@tiandi/api';
import { t } from '../i18n/index';
import { offlineReady } from '../pwa/register-service-worker';
import { ESTIMATED_TILE_BYTES, prefetchTiles, tileCacheUsage, tilesAround, tileUrl } from '../pwa/tile-prefetch';
import { h } from '../ui/h';

const TILE_RADIUS_M = 150;
const TILE_MAX_ZOOM = 19;
const TILE_MAX_COUNT = 1500;

/**
 * The "prepare for offline" card: whether the app itself is cached, how many orthophoto tiles lie
 * within 150 m of the stops (and how many MB), and a button that downloads them with progress.
 */
export async function drawPrepare(card: HTMLElement, a: FieldAssignment, rasters: RasterInfo[]): Promise<void> {
  const points = a.stops.map((s) => [s.lon, s.lat] as [number, number]);
  const urls: string[] = [];
  let zUsed = 0;
  for (const r of rasters) {
    if (r.kind !== 'ortho' || !r.tiles || !r.bounds) continue;
    const sel = tilesAround(
      points,
      { bounds: r.bounds, minzoom: r.minzoom ?? 12, maxzoom: r.maxzoom ?? TILE_MAX_ZOOM },
      { radiusM: TILE_RADIUS_M, maxZoom: TILE_MAX_ZOOM, minZoom: 12, maxTiles: Math.max(1, TILE_MAX_COUNT - urls.length) },
    );
    zUsed = Math.max(zUsed, sel.maxZoomUsed);
    urls.push(...sel.tiles.map((tile) => tileUrl(r.tiles!, tile, location.href)));
  }
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  const appState = h('p', { class: 'muted', 'data-testid': 'app-cached' }, offlineReady() ? t('field.appReady') : t('field.appNotReady'));
  const plan = h(
    'p',
    { 'data-testid': 'tiles-plan' },
    urls.length ? t('field.tilesPlan', { n: urls.length, mb: mb(urls.length * ESTIMATED_TILE_BYTES), r: TILE_RADIUS_M, z: zUsed }) : t('field.tilesNone'),
  );
  const bar = h('div', { class: 'progress', hidden: true }, h('div'));
  const status = h('p', { 'data-testid': 'tiles-status' });
  const usage = await tileCacheUsage().catch(() => ({ tiles: 0, bytes: 0 }));
  if (usage.tiles > 0) status.textContent = t('field.tilesDone', { n: usage.tiles, mb: mb(usage.bytes) });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'big',
      'data-testid': 'tiles-download',
      disabled: urls.length === 0,
      onclick: async () => {
        button.disabled = true;
        bar.hidden = false;
        const p = await prefetchTiles(urls, {
          onProgress: (x) => {
            (bar.firstChild as HTMLElement).style.width = `${(100 * x.done) / x.total}%`;
            status.textContent = t('field.tilesProgress', { done: x.done, total: x.total, mb: mb(x.bytes) });
          },
        });
        const u = await tileCacheUsage();
        status.textContent = t('field.tilesDone', { n: u.tiles, mb: mb(u.bytes) }) + (p.failed ? ` · ${t('field.tilesFailed', { n: p.failed })}` : '');
        button.disabled = false;
      },
    },
    t('field.tilesDownload'),
  );
  card.replaceChildren(h('h2', null, t('field.prepare')), appState, plan, h('div', { class: 'actions' }, button), bar, status);
  if (!offlineReady() && 'serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('controllerchange', () => (appState.textContent = t('field.appReady')), { once: true });
  }
}
