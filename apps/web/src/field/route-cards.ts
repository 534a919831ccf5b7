import type { FieldAssignment } from '@tiandi/api';
import { getLang, t } from '../i18n/index';
import type { Outbox, OutboxItem } from '../pwa/outbox';
import { h } from '../ui/h';
import { bearingDeg, compassPoint, distanceM, formatDistance } from './field-geo';

/** The phone's position. */
export type Fix = { lon: number; lat: number; accuracyM: number };
type Stop = FieldAssignment['stops'][number];
/** Where a stop stands: no report yet, a report waiting to be sent, or reported. */
export type StopState = 'open' | 'queued' | 'done';

/** The next (or selected) stop: how far and which way, when to arrive, what to look for, navigate and report. */
export function drawNextStop(
  card: HTMLElement,
  a: FieldAssignment,
  stop: Stop | null,
  isNext: boolean,
  fix: Fix | null,
  onReport: (seq: number) => void,
): void {
  if (!stop) {
    card.replaceChildren(h('h2', null, a.stops.length ? t('field.allDone') : t('field.noPlan')));
    return;
  }
  card.replaceChildren(
    h(
      'h2',
      null,
      `${isNext ? t('field.next') + ' · ' : ''}${t('field.stop', { seq: stop.seq })} · ${stop.info?.village ? `${stop.info.village} ` : ''}${stop.targetId ?? ''}`,
    ),
    wayTo(stop, fix),
    h('p', { class: 'muted' }, stop.arriveS !== null ? t('field.arrive', { time: hhmm(stop.arriveS) }) : ''),
    // What to look for there (area, score, model), as on the printed route sheet.
    stop.info ? h('p', { 'data-testid': 'look-for' }, stop.info.lookFor) : '',
    h(
      'div',
      { class: 'actions' },
      h('a', { class: 'big', href: stop.amapUriGcj02, target: '_blank', rel: 'noopener', 'data-testid': 'navigate' }, t('field.navigate')),
      h('button', { type: 'button', class: 'primary big', 'data-testid': 'report-stop', onclick: () => onReport(stop.seq) }, t('field.report')),
    ),
  );
}

/** Distance and bearing from the fix to the stop, or "no fix yet". */
function wayTo(stop: Stop, fix: Fix | null): HTMLElement {
  const figures = h('div', { class: 'figures' });
  if (!fix) {
    figures.append(h('span', null, t('field.noFix')));
    return figures;
  }
  const d = distanceM([fix.lon, fix.lat], [stop.lon, stop.lat]);
  const b = bearingDeg([fix.lon, fix.lat], [stop.lon, stop.lat]);
  figures.append(
    h('span', { 'data-testid': 'distance' }, t('field.distance', { d: formatDistance(d) })),
    h(
      'span',
      { 'data-testid': 'bearing' },
      h('span', { class: 'arrow', style: { transform: `rotate(${b}deg)` } }, '↑'),
      ' ',
      t('field.bearing', { deg: Math.round(b), dir: compassPoint(b, getLang()) }),
    ),
  );
  return figures;
}

/** The route's stops, each with its state and, with a fix, its distance; a tap selects one. */
export function drawStopList(
  list: HTMLElement,
  a: FieldAssignment,
  selected: number | null,
  fix: Fix | null,
  stateOf: (targetId: string | null) => StopState,
  select: (seq: number) => void,
): void {
  list.replaceChildren(
    ...a.stops.map((s) => {
      const st = stateOf(s.targetId);
      return h(
        'li',
        { class: s.seq === selected ? 'selected' : '', 'data-seq': s.seq, 'data-state': st, onclick: () => select(s.seq) },
        h('span', { class: 'seq' }, String(s.seq)),
        h(
          'span',
          null,
          s.info?.village ? `${s.info.village} ` : '',
          s.targetId ?? '',
          fix ? h('span', { class: 'muted' }, ` · ${formatDistance(distanceM([fix.lon, fix.lat], [s.lon, s.lat]))}`) : null,
        ),
        h('span', { class: `state ${st}` }, st === 'done' ? t('field.stopReported') : st === 'queued' ? t('field.stopQueued') : t('field.stopOpen')),
      );
    }),
  );
}

/** The reports waiting on this phone, with why a rejected one was refused and a way to discard it. */
export function drawQueue(card: HTMLElement, items: OutboxItem[], outbox: Outbox): void {
  card.hidden = items.length === 0;
  card.replaceChildren(
    h('h2', null, t('field.queue.title')),
    ...items.map((it) => {
      const p = it.report.properties;
      return h(
        'div',
        { class: 'queue-item', 'data-state': it.state },
        h('b', null, `${p.target_id ?? t('field.form.titleOffRoute')} · ${t(`field.verdict.${p.verdict}`)}`),
        h('span', { class: 'muted' }, ` · ${p.observed_at.slice(11, 16)}${it.photos.length ? ` · ${t('field.pendingPhotos', { n: it.photos.length })}` : ''}`),
        it.lastError ? h('div', { class: it.state === 'rejected' ? 'error' : 'muted' }, t('field.queue.error', { msg: it.lastError })) : null,
        it.state === 'rejected' ? h('button', { type: 'button', class: 'big', onclick: () => void outbox.discard(it.id) }, t('field.queue.discard')) : null,
      );
    }),
  );
}

function hhmm(s: number): string {
  const m = Math.round(s / 60);
  return `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
