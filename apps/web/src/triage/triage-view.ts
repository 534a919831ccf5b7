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
export interface TriageStats { applyMs: number[]; roundTripMs: number[]; failed: number }
declare global { interface Window { __tiandiTriage?: TriageStats } }

const VISIBLE = 24;
const chipUrl = (id: string, context: boolean, heat: boolean) => `/api/triage/${encodeURIComponent(id)}/chip.png?context=${context ? 6 : 1.5}${heat ? '&heat=1' : ''}`;

/**
 * #/triage — the operator's desk triage gallery: full-resolution chips best score first, decided by keyboard
 * (poppy-like, not poppy with a preset reason or a note, skip, undo), surroundings and heatmap on a key, filters, progress.
 * Decisions apply in the page at once and go to the server behind it; the server leases each candidate to one
 * reviewer, so reviewers working at once never get the same one, and audits every decision with its account.
 * long: one closure over the gallery's state (queue, cursor, cards, done) that every key handler shares; its parts
 * (filter bar, key map) are already apart.
 */
const triageView: View = async (root) => {
  const stats: TriageStats = (window.__tiandiTriage = { applyMs: [], roundTripMs: [], failed: 0 });
  const filters: Filters = {};
  let queue: Item[] = [];
  let cursor = 0;
  let context = false;
  let heat = false;
  let reviewed = 0, total = 0;
  let loading = false;
  const done: { item: Item; at: number }[] = [];
  /** Skipped here: not handed back to this reviewer on the next refill (the server has released them to others). */
  const skipped = new Set<string>();
  const cards = new Map<string, HTMLElement>();

  const progress = h('div', { class: 'triage-progress', 'data-testid': 'triage-progress' });
  const message = h('div', { class: 'triage-message', role: 'status' });
  const grid = h('div', { class: 'triage-grid', 'data-testid': 'triage-grid', tabindex: '0' });
  const bar = filterBar(async (f) => {
    Object.assign(filters, f);
    reviewed = 0;
    queue = [];
    cursor = 0;
    cards.clear();
    grid.replaceChildren();
    await refill();
  });
  root.append(h('section', { class: 'triage', 'data-testid': 'triage' },
    h('header', { class: 'triage-head' }, h('h2', null, t('triage.title')), progress, h('a', { href: '#/operator' }, t('triage.back'))),
    bar.el, h('p', { class: 'triage-keys' }, t('triage.keys')), message, grid));

  const showProgress = () => { progress.textContent = t('triage.progress', { done: reviewed.toLocaleString('fr-FR'), total: total.toLocaleString('fr-FR') }); };
  const card = (it: Item) => {
    let el = cards.get(it.targetId);
    if (el) return el;
    el = h('figure', { class: 'chip', 'data-id': it.targetId, onclick: () => { cursor = queue.indexOf(it); draw(); } },
      h('img', { src: chipUrl(it.targetId, context, heat), alt: it.targetId, loading: 'eager', decoding: 'async', width: 192, height: 192 }),
      h('figcaption', null, h('b', null, it.scoreMax.toFixed(2)), ` · ${Math.round(it.areaM2)} m² · ${it.modelVersions.join(', ')}`,
        // An adopted adapted verifier already ruled it out: said, since a "poppy-like" here sends a team after all.
        it.status === 'dismissed_model' ? h('span', { class: 'muted', 'data-testid': 'chip-model-dismissed' }, ` · ${t('status.dismissed_model')}`) : null));
    cards.set(it.targetId, el);
    return el;
  };
  const draw = () => {
    const shown = queue.slice(0, VISIBLE);
    grid.replaceChildren(...(shown.length ? shown.map(card) : [h('p', { class: 'empty' }, t('triage.empty'))]));
    cursor = Math.min(cursor, Math.max(0, shown.length - 1));
    shown.forEach((it, i) => cards.get(it.targetId)!.classList.toggle('current', i === cursor));
    showProgress();
  };

  async function refill(): Promise<void> {
    if (loading) return;
    loading = true;
    try {
      const b = await api<TriageBatch>('/api/triage/next', { body: { ...filters, count: 48, exclude: [...queue.map((i) => i.targetId), ...[...skipped].slice(-500)] } satisfies TriageNextBody });
      reviewed = Math.max(reviewed, b.reviewed);
      total = b.total;
      const have = new Set(queue.map((i) => i.targetId));
      queue.push(...b.items.filter((i) => !have.has(i.targetId)));
      bar.offer(b.items);
      draw();
    } catch (err) {
      message.textContent = err instanceof ApiError ? err.message : String(err);
    } finally {
      loading = false;
    }
  }

  /** Applies a decision in the page at once (the card leaves, the next is current), then tells the server. */
  const decide = (it: Item, d: Decision, startedAt: number) => {
    queue.splice(queue.indexOf(it), 1);
    reviewed++;
    done.push({ item: it, at: Date.now() });
    draw();
    stats.applyMs.push(performance.now() - startedAt);
    const t0 = performance.now();
    api(`/api/triage/${encodeURIComponent(it.targetId)}/decision`, { body: d })
      .then(() => stats.roundTripMs.push(performance.now() - t0))
      .catch((err) => {
        stats.failed++;
        reviewed--;
        done.splice(done.findIndex((x) => x.item === it), 1);
        message.textContent = t('triage.failed', { msg: err instanceof ApiError ? err.message : String(err) });
        draw();
      });
    if (queue.length < 16) void refill();
  };
  const skip = (it: Item) => {
    queue.splice(queue.indexOf(it), 1);
    skipped.add(it.targetId);
    draw();
    void api(`/api/triage/${encodeURIComponent(it.targetId)}/decision`, { body: { decision: 'skip' } satisfies TriageDecisionBody }).catch(() => undefined);
    if (queue.length < 16) void refill();
  };
  const undo = () => {
    const last = done.pop();
    if (!last) return;
    queue.splice(cursor, 0, last.item);
    reviewed--;
    draw();
    void api(`/api/triage/${encodeURIComponent(last.item.targetId)}/decision`, { method: 'DELETE' }).catch((err) => { message.textContent = t('triage.failed', { msg: String((err as Error).message) }); });
  };
  const askNote = (it: Item, startedAt: number) => {
    const input = h('input', { type: 'text', class: 'triage-note', placeholder: t('triage.note'), 'data-testid': 'triage-note' });
    input.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Enter' && input.value.trim()) decide(it, { decision: 'not_poppy', reason: 'other', note: input.value.trim() }, startedAt);
      if (e.key === 'Escape' || e.key === 'Enter') { input.remove(); grid.focus(); }
    });
    cards.get(it.targetId)?.append(input);
    input.focus();
  };
  const act = (a: TriageAction, startedAt: number) => {
    const it = queue[cursor];
    if (a.kind === 'undo') return undo();
    if (a.kind === 'context' || a.kind === 'heat') {
      if (a.kind === 'context') context = !context;
      else heat = !heat;
      for (const [id, el] of cards) el.querySelector('img')!.src = chipUrl(id, context, heat);
      return;
    }
    if (a.kind === 'move') { cursor = Math.max(0, Math.min(Math.min(queue.length, VISIBLE) - 1, cursor + a.by)); return draw(); }
    if (!it) return;
    if (a.kind === 'skip') return skip(it);
    if (a.kind === 'other') return askNote(it, startedAt);
    decide(it, a.decision === 'poppy_like' ? { decision: 'poppy_like' } : { decision: 'not_poppy', reason: a.reason }, startedAt);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.ctrlKey || e.metaKey || e.altKey) return;
    const a = actionOfKey(e.key);
    if (!a) return;
    e.preventDefault();
    act(a, e.timeStamp || performance.now());
  };
  document.addEventListener('keydown', onKey);
  await refill();
  grid.focus();
  return () => {
    document.removeEventListener('keydown', onKey);
    // Give back what this reviewer was handed but did not decide, so others get it now rather than when the lease runs out.
    void api('/api/triage/release', { body: { targetIds: queue.map((i) => i.targetId) } }).catch(() => undefined);
  };
};
export default triageView;

/** Filters by zone, image, model version and score; offers the images and model versions it has seen. */
function filterBar(apply: (f: Filters) => void | Promise<void>): { el: HTMLElement; offer: (items: Item[]) => void } {
  const images = new Set<string>(), models = new Set<string>();
  const all = () => h('option', { value: '' }, t('triage.all'));
  const zone = h('select', { 'data-testid': 'triage-zone' }, all());
  const image = h('select', { 'data-testid': 'triage-image' }, all());
  const model = h('select', { 'data-testid': 'triage-model' }, all());
  const num = () => h('input', { type: 'number', min: '0', max: '1', step: '0.05', class: 'triage-score' });
  const min = num(), max = num();
  void api<{ features: { properties: { zone_id: string; name: string | null } }[] }>('/api/zones').then((fc) => {
    for (const f of fc.features) zone.append(h('option', { value: f.properties.zone_id }, f.properties.name ?? f.properties.zone_id));
  }).catch(() => undefined);
  const changed = () => void apply({
    zone: zone.value || undefined, image: image.value || undefined, model: model.value || undefined,
    minScore: min.value === '' ? undefined : Number(min.value), maxScore: max.value === '' ? undefined : Number(max.value),
  });
  for (const el of [zone, image, model, min, max]) el.addEventListener('change', changed);
  const label = (key: string, el: HTMLElement) => h('label', null, t(key), ' ', el);
  return {
    el: h('div', { class: 'triage-filters' }, label('triage.zone', zone), label('triage.image', image), label('triage.model', model), label('triage.minScore', min), label('triage.maxScore', max)),
    offer(items) {
      for (const it of items) {
        for (const i of it.imageIds) if (!images.has(i)) { images.add(i); image.append(h('option', { value: i }, i)); }
        for (const m of it.modelVersions) if (!models.has(m)) { models.add(m); model.append(h('option', { value: m }, m)); }
      }
    },
  };
}
