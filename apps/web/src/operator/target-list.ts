import { fmtNumber, t } from '../i18n/index';
import { STATUS_COLOURS } from '../map/status-colours';
import type { FC } from '../map/survey-data';
import { h } from '../ui/h';
import { isUnverified, sortTargets, statusKey, verifyCell, villageOf, type TargetRow, type TargetSortKey } from './sort-targets';

const COLUMNS: { key: TargetSortKey; label: string }[] = [
  { key: 'score_max', label: 'targets.col.score' },
  { key: 'score_verify', label: 'targets.col.verify' },
  { key: 'area_m2', label: 'targets.col.area' },
  { key: 'zone', label: 'targets.col.zone' },
  { key: 'status', label: 'targets.col.status' },
];

/**
 * The sortable target list. Click a row → `onSelect(id)`; hover → `onHover(id | null)`.
 * `highlight(id)` and `select(id)` mark a row from the map side.
 */
export function targetList(opts: { onSelect: (id: string) => void; onHover: (id: string | null) => void }) {
  let rows: TargetRow[] = [];
  let sortKey: TargetSortKey = 'score_max';
  let descending = true;
  let statusFilter = '';
  let selected: string | null = null;
  let reviewThreshold: number | null = null;
  const tbody = h('tbody');
  const head = h('tr');
  const count = h('p', { class: 'muted', 'data-testid': 'target-count' });
  const filter = h('select', { 'data-testid': 'status-filter', onchange: () => ((statusFilter = filter.value), draw()) });
  const table = h('table', { class: 'list', 'data-testid': 'target-list' }, h('thead', null, head), tbody);
  const empty = h('p', { class: 'muted' }, t('targets.none'));

  const draw = () => {
    filter.replaceChildren(
      h('option', { value: '' }, t('targets.filter.all')),
      ...Object.keys(STATUS_COLOURS).map((s) => h('option', { value: s, selected: s === statusFilter }, t(`status.${s}`))),
    );
    head.replaceChildren(
      ...headerCells(sortKey, descending, (key) => {
        if (sortKey === key) descending = !descending;
        else {
          sortKey = key;
          descending = key === 'score_max' || key === 'score_verify' || key === 'area_m2';
        }
        draw();
      }),
    );
    const shown = sortTargets(
      rows.filter((r) => !statusFilter || r.status === statusFilter),
      sortKey,
      descending,
    );
    count.textContent = t('targets.count', { n: rows.length, shown: shown.length });
    tbody.replaceChildren(...shown.map((r) => targetRow(r, r.id === selected, reviewThreshold, opts)));
    table.style.display = rows.length ? '' : 'none';
    empty.style.display = rows.length ? 'none' : '';
  };
  draw();

  const el = h(
    'section',
    { class: 'panel', 'data-testid': 'targets-panel' },
    h('h2', null, t('targets.title')),
    h('label', null, t('targets.filter.status'), ' ', filter),
    count,
    empty,
    table,
  );
  return {
    el,
    setTargets(fc: FC) {
      rows = fc.features.map(targetRowOf);
      draw();
    },
    /** The season's review threshold: pending scan targets under it owe no visit. */
    setReviewThreshold(x: number | null) {
      reviewThreshold = x;
      draw();
    },
    highlight(id: string | null) {
      for (const tr of tbody.querySelectorAll('tr')) tr.classList.toggle('hover', tr.dataset.id === id);
      if (id) tbody.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
    },
    select(id: string | null) {
      selected = id;
      for (const tr of tbody.querySelectorAll('tr')) tr.classList.toggle('selected', tr.dataset.id === id);
      if (id) tbody.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
    },
  };
}

/** The header: a sortable cell per column, the sorted one marked ▼ or ▲. */
function headerCells(sortKey: TargetSortKey, descending: boolean, onSort: (key: TargetSortKey) => void): HTMLElement[] {
  return COLUMNS.map((c) =>
    h(
      'th',
      { 'data-sort': c.key, 'aria-sort': c.key === sortKey ? (descending ? 'descending' : 'ascending') : 'none', onclick: () => onSort(c.key) },
      t(c.label),
      c.key === sortKey ? (descending ? ' ▼' : ' ▲') : '',
    ),
  );
}

/** One target's row: scores (the verifier's with its raw score and an unverified badge), area, village and status; Enter or space selects it. */
function targetRow(
  r: TargetRow,
  isSelected: boolean,
  reviewThreshold: number | null,
  opts: { onSelect: (id: string) => void; onHover: (id: string | null) => void },
): HTMLElement {
  return h(
    'tr',
    {
      'data-id': r.id,
      class: isSelected ? 'selected' : '',
      onclick: () => opts.onSelect(r.id),
      onmouseenter: () => opts.onHover(r.id),
      onmouseleave: () => opts.onHover(null),
      tabindex: '0',
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          opts.onSelect(r.id);
        }
      },
    },
    h('td', null, fmtNumber(r.score_max, 2)),
    h(
      'td',
      { 'data-col': 'verify', title: verifyCell(r).title },
      verifyCell(r).text,
      verifyCell(r).raw ? h('span', { class: 'muted', 'data-raw-score': 'true' }, ` · ${verifyCell(r).raw}`) : null,
      // Unverified beside a score: another image's candidate of this target was never judged by a second look.
      r.unverified && r.score_verify !== null ? ' ' : null,
      r.unverified
        ? h(
            'span',
            { class: 'badge', 'data-unverified': 'true', title: t('targets.unverified.why'), style: { background: '#b26a00' } },
            t('targets.unverified'),
          )
        : null,
    ),
    h('td', null, fmtNumber(r.area_m2, 0)),
    h('td', null, r.zone ?? '—'),
    h(
      'td',
      null,
      statusKey(r, reviewThreshold) === 'status.belowThreshold'
        ? h(
            'span',
            {
              class: 'badge',
              'data-below-threshold': 'true',
              title: t('status.belowThreshold.why', { threshold: reviewThreshold ?? '' }),
              style: { background: '#adb5bd' },
            },
            t('status.belowThreshold'),
          )
        : h('span', { class: 'badge', style: { background: STATUS_COLOURS[r.status] ?? '#777' } }, t(`status.${r.status}`)),
    ),
  );
}

/** A target feature's row of the list. */
function targetRowOf(f: FC['features'][number]): TargetRow {
  const p = f.properties;
  return {
    id: String(p.id ?? f.id),
    score_max: Number(p.score_max ?? 0),
    score_verify: typeof p.score_verify === 'number' ? p.score_verify : null,
    p_poppy: typeof p.p_poppy === 'number' ? p.p_poppy : null,
    area_m2: Number(p.area_m2 ?? 0),
    zone: villageOf(p),
    status: String(p.status ?? 'detected'),
    unverified: isUnverified(p),
    origin: typeof p.origin === 'string' ? p.origin : 'scan',
  };
}
