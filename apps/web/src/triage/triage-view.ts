import type { TriageBatch, TriageDecisionBody, TriageItemView, TriageNextBody } from '@tiandi/api';
import { api, ApiError } from '../api/api';
import { t } from '../i18n/index';
import type { View } from '../router';
import { h } from '../ui/h';
import { actionOfKey, type TriageAction } from './triage-keys';
import './triage-messages';
import './triage.css';

/** One candidate target as the server hands it out (leased to this reviewer). */
type Item = TriageItemView;
type Filters = Omit<TriageNextBody, 'count' | 'exclude'>;
type Decision = TriageDecisionBody & { decision: 'poppy_like' | 'not_poppy' };

/** Timings of this page's decisions (read by the browser benchmark): applied in the page, and the server's answer. */
export interface TriageStats {
  applyMs: number[];
  roundTripMs: number[];
  failed: number;
}
declare global {
  interface Window {
    __tiandiTriage?: TriageStats;
  }
}

const VISIBLE = 24;
const chipUrl = (id: string, context: boolean, heat: boolean) =>
  `/api/triage/${encodeURIComponent(id)}/chip.png?context=${context ? 6 : 1.5}${heat ? '&heat=1' : ''}`;

/** The gallery's state, shared by every key handler: the queue handed out, the cursor, the cards drawn, the decisions made. */
interface Gallery {
  stats: TriageStats;
  filters: Filters;
  queue: Item[];
  cursor: number;
  /** Chips show the surroundings / the heatmap. */
  context: boolean;
  heat: boolean;
  reviewed: number;
  total: number;
  loading: boolean;
  done: { item: Item; at: number }[];
  /** Skipped here: not handed back to this reviewer on the next refill (the server has released them to others). */
  skipped: Set<string>;
  cards: Map<string, HTMLElement>;
  progress: HTMLElement;
  message: HTMLElement;
  grid: HTMLElement;
  bar: ReturnType<typeof filterBar>;
}

/**
 * #/triage — the operator's desk triage gallery: full-resolution chips best score first, decided by keyboard
 * (poppy-like, not poppy with a preset reason or a note, skip, undo), surroundings and heatmap on a key, filters, progress.
 * Decisions apply in the page at once and go to the server behind it; the server leases each candidate to one
 * reviewer, so reviewers working at once never get the same one, and audits every decision with its account.
 */
const triageView: View = async (root) => {
  const progress = h('div', { class: 'triage-progress', 'data-testid': 'triage-progress' });
  const message = h('div', { class: 'triage-message', role: 'status' });
  const grid = h('div', { class: 'triage-grid', 'data-testid': 'triage-grid', tabindex: '0' });
  const g: Gallery = {
    stats: (window.__tiandiTriage = { applyMs: [], roundTripMs: [], failed: 0 }),
    filters: {},
    queue: [],
    cursor: 0,
    context: false,
    heat: false,
    reviewed: 0,
    total: 0,
    loading: false,
    done: [],
    skipped: new Set(),
    cards: new Map(),
    progress,
    message,
    grid,
    bar: filterBar((f) => applyFilters(g, f)),
  };
  root.append(
    h(
      'section',
      { class: 'triage', 'data-testid': 'triage' },
      h('header', { class: 'triage-head' }, h('h2', null, t('triage.title')), progress, h('a', { href: '#/operator' }, t('triage.back'))),
      g.bar.el,
      h('p', { class: 'triage-keys' }, t('triage.keys')),
      message,
      grid,
    ),
  );

  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.ctrlKey || e.metaKey || e.altKey) return;
    const a = actionOfKey(e.key);
    if (!a) return;
    e.preventDefault();
    act(g, a, e.timeStamp || performance.now());
  };
  document.addEventListener('keydown', onKey);
  await refill(g);
  grid.focus();
  return () => {
    document.removeEventListener('keydown', onKey);
    // Give back what this reviewer was handed but did not decide, so others get it now rather than when the lease runs out.
    void api('/api/triage/release', { body: { targetIds: g.queue.map((i) => i.targetId) } }).catch(() => undefined);
  };
};
export default triageView;

/** New filters: start over with a fresh queue. */
async function applyFilters(g: Gallery, f: Filters): Promise<void> {
  Object.assign(g.filters, f);
  g.reviewed = 0;
  g.queue = [];
  g.cursor = 0;
  g.cards.clear();
  g.grid.replaceChildren();
  await refill(g);
}

function showProgress(g: Gallery): void {
  g.progress.textContent = t('triage.progress', { done: g.reviewed.toLocaleString('fr-FR'), total: g.total.toLocaleString('fr-FR') });
}

/** The chip of one candidate, made once and kept: score, area, model versions, and whether the adapted verifier dismissed it. */
function card(g: Gallery, it: Item): HTMLElement {
  let el = g.cards.get(it.targetId);
  if (el) return el;
  el = h(
    'figure',
    {
      class: 'chip',
      'data-id': it.targetId,
      onclick: () => {
        g.cursor = g.queue.indexOf(it);
        draw(g);
      },
    },
    h('img', { src: chipUrl(it.targetId, g.context, g.heat), alt: it.targetId, loading: 'eager', decoding: 'async', width: 192, height: 192 }),
    h(
      'figcaption',
      null,
      h('b', null, it.scoreMax.toFixed(2)),
      ` · ${Math.round(it.areaM2)} m² · ${it.modelVersions.join(', ')}`,
      // An adopted adapted verifier already ruled it out: said, since a "poppy-like" here sends a team after all.
      it.status === 'dismissed_model' ? h('span', { class: 'muted', 'data-testid': 'chip-model-dismissed' }, ` · ${t('status.dismissed_model')}`) : null,
    ),
  );
  g.cards.set(it.targetId, el);
  return el;
}

/** The first VISIBLE chips of the queue, the current one marked, and the progress. */
function draw(g: Gallery): void {
  const shown = g.queue.slice(0, VISIBLE);
  g.grid.replaceChildren(...(shown.length ? shown.map((it) => card(g, it)) : [h('p', { class: 'empty' }, t('triage.empty'))]));
  g.cursor = Math.min(g.cursor, Math.max(0, shown.length - 1));
  shown.forEach((it, i) => g.cards.get(it.targetId)!.classList.toggle('current', i === g.cursor));
  showProgress(g);
}

/** Asks the server for more candidates (not those queued or recently skipped) and adds the new ones. */
async function refill(g: Gallery): Promise<void> {
  if (g.loading) return;
  g.loading = true;
  try {
    const b = await api<TriageBatch>('/api/triage/next', {
      body: { ...g.filters, count: 48, exclude: [...g.queue.map((i) => i.targetId), ...[...g.skipped].slice(-500)] } satisfies TriageNextBody,
    });
    g.reviewed = Math.max(g.reviewed, b.reviewed);
    g.total = b.total;
    const have = new Set(g.queue.map((i) => i.targetId));
    g.queue.push(...b.items.filter((i) => !have.has(i.targetId)));
    g.bar.offer(b.items);
    draw(g);
  } catch (err) {
    g.message.textContent = err instanceof ApiError ? err.message : String(err);
  } finally {
    g.loading = false;
  }
}

/** Applies a decision in the page at once (the card leaves, the next is current), then tells the server. */
function decide(g: Gallery, it: Item, d: Decision, startedAt: number): void {
  g.queue.splice(g.queue.indexOf(it), 1);
  g.reviewed++;
  g.done.push({ item: it, at: Date.now() });
  draw(g);
  g.stats.applyMs.push(performance.now() - startedAt);
  const t0 = performance.now();
  api(`/api/triage/${encodeURIComponent(it.targetId)}/decision`, { body: d })
    .then(() => g.stats.roundTripMs.push(performance.now() - t0))
    .catch((err) => {
      g.stats.failed++;
      g.reviewed--;
      g.done.splice(
        g.done.findIndex((x) => x.item === it),
        1,
      );
      g.message.textContent = t('triage.failed', { msg: err instanceof ApiError ? err.message : String(err) });
      draw(g);
    });
  if (g.queue.length < 16) void refill(g);
}

function skip(g: Gallery, it: Item): void {
  g.queue.splice(g.queue.indexOf(it), 1);
  g.skipped.add(it.targetId);
  draw(g);
  void api(`/api/triage/${encodeURIComponent(it.targetId)}/decision`, { body: { decision: 'skip' } satisfies TriageDecisionBody }).catch(() => undefined);
  if (g.queue.length < 16) void refill(g);
}

/** Puts the last decided candidate back at the cursor and withdraws its decision. */
function undo(g: Gallery): void {
  const last = g.done.pop();
  if (!last) return;
  g.queue.splice(g.cursor, 0, last.item);
  g.reviewed--;
  draw(g);
  void api(`/api/triage/${encodeURIComponent(last.item.targetId)}/decision`, { method: 'DELETE' }).catch((err) => {
    g.message.textContent = t('triage.failed', { msg: String((err as Error).message) });
  });
}

/** "Not poppy, other": a note field on the chip; Enter with a note decides, Escape cancels. */
function askNote(g: Gallery, it: Item, startedAt: number): void {
  const input = h('input', { type: 'text', class: 'triage-note', placeholder: t('triage.note'), 'data-testid': 'triage-note' });
  input.addEventListener('keydown', (e) => {
    e.stopPropagation();
    if (e.key === 'Enter' && input.value.trim()) decide(g, it, { decision: 'not_poppy', reason: 'other', note: input.value.trim() }, startedAt);
    if (e.key === 'Escape' || e.key === 'Enter') {
      input.remove();
      g.grid.focus();
    }
  });
  g.cards.get(it.targetId)?.append(input);
  input.focus();
}

/** What a key does: undo, toggle surroundings or heatmap, move, or decide / skip / note the current candidate. */
function act(g: Gallery, a: TriageAction, startedAt: number): void {
  const it = g.queue[g.cursor];
  if (a.kind === 'undo') return undo(g);
  if (a.kind === 'context' || a.kind === 'heat') {
    if (a.kind === 'context') g.context = !g.context;
    else g.heat = !g.heat;
    for (const [id, el] of g.cards) el.querySelector('img')!.src = chipUrl(id, g.context, g.heat);
    return;
  }
  if (a.kind === 'move') {
    g.cursor = Math.max(0, Math.min(Math.min(g.queue.length, VISIBLE) - 1, g.cursor + a.by));
    return draw(g);
  }
  if (!it) return;
  if (a.kind === 'skip') return skip(g, it);
  if (a.kind === 'other') return askNote(g, it, startedAt);
  decide(g, it, a.decision === 'poppy_like' ? { decision: 'poppy_like' } : { decision: 'not_poppy', reason: a.reason }, startedAt);
}

/** Filters by zone, image, model version and score; offers the images and model versions it has seen. */
function filterBar(apply: (f: Filters) => void | Promise<void>): { el: HTMLElement; offer: (items: Item[]) => void } {
  const images = new Set<string>(),
    models = new Set<string>();
  const all = () => h('option', { value: '' }, t('triage.all'));
  const zone = h('select', { 'data-testid': 'triage-zone' }, all());
  const image = h('select', { 'data-testid': 'triage-image' }, all());
  const model = h('select', { 'data-testid': 'triage-model' }, all());
  const num = () => h('input', { type: 'number', min: '0', max: '1', step: '0.05', class: 'triage-score' });
  const min = num(),
    max = num();
  void api<{ features: { properties: { zone_id: string; name: string | null } }[] }>('/api/zones')
    .then((fc) => {
      for (const f of fc.features) zone.append(h('option', { value: f.properties.zone_id }, f.properties.name ?? f.properties.zone_id));
    })
    .catch(() => undefined);
  const changed = () =>
    void apply({
      zone: zone.value || undefined,
      image: image.value || undefined,
      model: model.value || undefined,
      minScore: min.value === '' ? undefined : Number(min.value),
      maxScore: max.value === '' ? undefined : Number(max.value),
    });
  for (const el of [zone, image, model, min, max]) el.addEventListener('change', changed);
  const label = (key: string, el: HTMLElement) => h('label', null, t(key), ' ', el);
  return {
    el: h(
      'div',
      { class: 'triage-filters' },
      label('triage.zone', zone),
      label('triage.image', image),
      label('triage.model', model),
      label('triage.minScore', min),
      label('triage.maxScore', max),
    ),
    offer(items) {
      for (const it of items) {
        for (const i of it.imageIds)
          if (!images.has(i)) {
            images.add(i);
            image.append(h('option', { value: i }, i));
          }
        for (const m of it.modelVersions)
          if (!models.has(m)) {
            models.add(m);
            model.append(h('option', { value: m }, m));
          }
      }
    },
  };
}
