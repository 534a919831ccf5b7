import type { JobView } from '@tiandi/api';
import { api } from '../api/api';
import { fmtNumber, t } from '../i18n/index';
import { h } from '../ui/h';
import { qualityLine, type ScanQuality } from './quality-line';

/** A scan job as the server sends it (the API contract's). */
export type { JobView };

/** A finished scan's quality figures, from its summary.json (an open document, so read as the scan writes it). */
const qualityOf = (j: JobView) => j.result?.summary?.quality as ScanQuality | undefined;

/** Seconds as "1 小时 2 分" / "3 分" / "20 秒". */
export function formatDuration(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '—';
  if (s >= 3600) return t('time.hm', { h: Math.floor(s / 3600), m: Math.round((s % 3600) / 60) });
  if (s >= 60) return t('time.m', { m: Math.round(s / 60) });
  return t('time.s', { s: Math.max(0, Math.round(s)) });
}

/**
 * The scan jobs panel, live over server-sent events (/api/jobs/events): one row per job with its
 * status, a progress bar, tiles done, Mpx/s and ETA (then, for a two-stage model, the verifier's windows).
 * Calls `onDone` when a job finishes.
 * Returns the element and a `close` to stop listening.
 */
export function jobsPanel(opts: { onDone: (job: JobView) => void }): { el: HTMLElement; close: () => void } {
  const list = h('ul', { class: 'jobs', 'data-testid': 'jobs' });
  const empty = h('p', { class: 'muted' }, t('jobs.none'));
  const rows = new Map<string, HTMLElement>();
  const lastStatus = new Map<string, string>();

  const render = (j: JobView) => {
    let row = rows.get(j.id);
    if (!row) {
      row = h('li', { class: 'job', 'data-job': j.id });
      rows.set(j.id, row);
      list.prepend(row);
    }
    empty.remove();
    const pct = Math.round((j.status === 'done' ? 1 : j.progress.fraction) * 100);
    const detail =
      j.status === 'running' && j.progress.stage === 'verify'
        ? t('jobs.verifying', { done: j.progress.windowsDone ?? 0, total: j.progress.windowsTotal ?? '?', eta: formatDuration(j.progress.etaS) })
        : j.status === 'running'
          ? t('jobs.progress', {
              done: j.progress.tilesDone,
              total: j.progress.tilesTotal || '?',
              mpx: fmtNumber(j.progress.mpxPerS, 1),
              eta: formatDuration(j.progress.etaS),
            })
          : j.status === 'done'
            ? t('jobs.result', { n: j.result?.candidates ?? 0 })
            : j.status === 'failed'
              ? (j.error ?? '')
              : '';
    const actions: HTMLElement[] = [];
    if (j.status === 'failed' || j.status === 'cancelled')
      actions.push(h('button', { type: 'button', onclick: () => void api(`/api/jobs/${j.id}/retry`, { method: 'POST', body: {} }) }, t('jobs.retry')));
    if (j.status === 'queued' || j.status === 'running')
      actions.push(h('button', { type: 'button', onclick: () => void api(`/api/jobs/${j.id}/cancel`, { method: 'POST', body: {} }) }, t('jobs.cancel')));
    row.dataset.status = j.status;
    row.replaceChildren(
      h(
        'div',
        { class: 'job-head' },
        h('span', { class: 'job-name' }, j.imageName),
        h(
          'span',
          { class: `job-status ${j.status}`, 'data-testid': 'job-status' },
          t(`jobs.status.${j.status}`),
          ' ',
          h('span', { 'data-testid': 'job-pct' }, `${pct}%`),
        ),
      ),
      h('div', { class: 'progress' }, h('div', { style: { width: `${pct}%` } })),
      h('div', { class: j.status === 'failed' ? 'error' : 'muted' }, detail),
      // Why part of the image will not count as coverage: blurred, over-exposed, dark or hazy blocks.
      ...(j.status === 'done' && qualityLine(qualityOf(j)) ? [h('div', { class: 'error', 'data-testid': 'job-quality' }, qualityLine(qualityOf(j))!)] : []),
      ...actions,
    );
    const before = lastStatus.get(j.id);
    lastStatus.set(j.id, j.status);
    if (j.status === 'done' && before !== 'done') opts.onDone(j);
  };

  const events = new EventSource('/api/jobs/events');
  events.addEventListener('snapshot', (e) => {
    const { jobs } = JSON.parse((e as MessageEvent).data) as { jobs: JobView[] };
    for (const j of jobs) {
      if (!lastStatus.has(j.id)) lastStatus.set(j.id, j.status);
      render(j);
    }
  });
  events.addEventListener('job', (e) => render(JSON.parse((e as MessageEvent).data) as JobView));
  const el = h('section', { class: 'panel', 'data-testid': 'jobs-panel' }, h('h2', null, t('jobs.title')), empty, list);
  return { el, close: () => events.close() };
}
