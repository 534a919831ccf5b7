import type { TargetDecisionBody } from '@tiandi/api';
import { api } from '../api/api';
import { fmtNumber, t } from '../i18n/index';
import { STATUS_COLOURS } from '../map/status-colours';
import type { Feature } from '../map/survey-data';
import { h } from '../ui/h';
import { errorText } from '../api/error-text';
import '../triage/triage-messages';

interface Detail extends Feature {
  history: { at: string; actor: string; action: string; payload: { from?: string; to?: string; reason?: string } | null }[];
}

type Decision = TargetDecisionBody['decision'];

/** One audit-log line: when, who, what, the new status and the reason. */
function historyLine(e: Detail['history'][number]): string {
  const to = e.payload?.to ? ` → ${t(`status.${e.payload.to}`)}` : '';
  const reason = e.payload?.reason ? ` (${e.payload.reason})` : '';
  return `${e.at.slice(0, 16).replace('T', ' ')} ${e.actor} · ${e.action}${to}${reason}`;
}

/** The target's history, folded away; nothing when it has none. */
function historyBlock(d: Detail): HTMLElement[] {
  if (!d.history.length) return [];
  return [h('details', null, h('summary', null, t('targets.history')), h('ul', { class: 'history' }, ...d.history.map((e) => h('li', null, historyLine(e)))))];
}

/** Status badge, score, area and zone. */
function figuresLine(p: Feature['properties']): HTMLElement {
  return h(
    'p',
    null,
    h('span', { class: 'badge', style: { background: STATUS_COLOURS[String(p.status)] ?? '#777' } }, t(`status.${p.status}`)),
    ' ',
    `${t('targets.col.score')} ${fmtNumber(Number(p.score_max), 2)} · ${t('targets.col.area')} ${fmtNumber(Number(p.area_m2), 0)} · ${t('targets.col.zone')} ${p.zone ?? '—'}`,
  );
}

/** A desk decision is said as such: nobody went there (unless it was drawn for a ground audit). */
function deskLine(p: Feature['properties']): HTMLElement[] {
  if (!p.desk_by) return [];
  return [
    h(
      'p',
      { class: 'muted', 'data-testid': 'desk-by' },
      t('triage.deskBy', { by: String(p.desk_by), reason: String(p.desk_reason ?? '') }),
      p.ground_audit ? ` · ${t('triage.drawn')}` : '',
    ),
  ];
}

/** Dismiss, promote and (for a target that left "pending") restore. */
function decisionButtons(p: Feature['properties'], decide: (d: Decision) => void): HTMLElement {
  return h(
    'div',
    { class: 'buttons' },
    h('button', { type: 'button', 'data-testid': 'dismiss', onclick: () => decide('dismiss') }, t('targets.dismiss')),
    h('button', { type: 'button', 'data-testid': 'promote', onclick: () => decide('promote') }, t('targets.promote')),
    // Restore only what left "pending": on a pending target it would change nothing.
    p.status === 'detected' && !p.review
      ? null
      : h('button', { type: 'button', 'data-testid': 'restore', onclick: () => decide('restore') }, t('targets.restore')),
  );
}

/** Shows a refusal or failure under the buttons. */
function showError(msg: HTMLElement, text: string): void {
  msg.className = 'error';
  msg.textContent = text;
}

/**
 * The selected target: its figures, its history, and the decision buttons (dismiss / promote /
 * restore) that need a reason and are recorded in the audit log. Calls `onChanged` after a decision.
 */
export function targetDetail(opts: { onChanged: (f: Feature) => void }) {
  const el = h('section', { class: 'panel target-detail', 'data-testid': 'target-detail', style: { display: 'none' } });
  let current: string | null = null;

  const show = async (id: string | null) => {
    current = id;
    if (!id) {
      el.style.display = 'none';
      return;
    }
    const d = await api<Detail>(`/api/targets/${encodeURIComponent(id)}`).catch(() => null);
    if (!d || current !== id) return;
    const p = d.properties;
    const reason = h('input', { type: 'text', placeholder: t('targets.reason'), 'data-testid': 'decision-reason', style: { width: '100%' } });
    const msg = h('p', { class: 'muted', role: 'status' });
    const decide = async (decision: Decision) => {
      if (reason.value.trim().length < 2) {
        showError(msg, t('targets.reasonNeeded'));
        reason.focus();
        return;
      }
      try {
        const f = await api<Feature>(`/api/targets/${encodeURIComponent(id)}/decision`, {
          body: { decision, reason: reason.value.trim() } satisfies TargetDecisionBody,
        });
        opts.onChanged(f);
        await show(id);
        el.querySelector('[role=status]')!.textContent = t('targets.saved');
      } catch (e) {
        showError(msg, errorText(e));
      }
    };
    el.style.display = '';
    el.replaceChildren(
      h('h2', null, t('targets.decision'), ' · ', h('span', { class: 'muted' }, String(p.id).slice(0, 24))),
      figuresLine(p),
      ...deskLine(p),
      reason,
      decisionButtons(p, decide),
      msg,
      ...historyBlock(d),
    );
  };
  return { el, show };
}
