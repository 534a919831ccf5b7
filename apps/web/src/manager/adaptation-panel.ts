import { api } from '../api/api';
import { errorText } from '../api/error-text';
import { fmtNumber, registerMessages, t } from '../i18n/index';
import { h } from '../ui/h';

registerMessages({
  'zh-CN': {
    'adapt.title': '本地适配复核模型',
    'adapt.hint':
      '用本工作区的案头判读、地面核查和漏检地块重新拟合复核模型的最后一层；留出标注上更好才建议采用。采用后低于新阈值的目标记为"模型排除"（未实地核查），是否认可由本季政策决定。',
    'adapt.inForce': '采用中：{name} {version}（阈值 {threshold}）',
    'adapt.scanScores': '采用中：扫描时的复核分数（原模型）',
    'adapt.synthetic': '加入合成阳性样本（6 个场景，确认地块少时）',
    'adapt.run': '开始适配',
    'adapt.restore': '恢复上一版本',
    'adapt.adopt': '采用',
    'adapt.running': '进行中…',
    'adapt.done': '完成',
    'adapt.failed': '失败：{msg}',
    'adapt.versions': '适配版本',
    'adapt.noVersions': '还没有适配版本',
    'adapt.recommended': '建议采用',
    'adapt.notRecommended': '不建议采用：{why}',
    'adapt.metrics': '留出标注：召回 {rb} → {ra}，误报率 {fb} → {fa}',
    'adapt.confirmForce': '该版本在留出标注上没有更好（{why}）。仍要采用吗？（将记入审计为强制采用）',
    'adapt.adopted': '已采用 {version}：重新评分 {n} 个候选，{dismissed} 个目标转为模型排除',
    'adapt.restored': '已恢复：{now}',
  },
  en: {
    'adapt.title': 'Local adaptation of the verifier',
    'adapt.hint':
      "Refits the verifier's last layer on this workspace's desk decisions, ground verdicts and missed plots; adoption is recommended only where it is better on held-out labels. Once adopted, targets below its threshold become 'dismissed by the model' (not visited), counted only as this season's policy allows.",
    'adapt.inForce': 'In force: {name} {version} (threshold {threshold})',
    'adapt.scanScores': "In force: the scans' own verifier scores (shipped model)",
    'adapt.synthetic': 'Add synthetic positives (6 scenes, when few plots are confirmed)',
    'adapt.run': 'Adapt',
    'adapt.restore': 'Restore the previous version',
    'adapt.adopt': 'Adopt',
    'adapt.running': 'Running…',
    'adapt.done': 'Done',
    'adapt.failed': 'Failed: {msg}',
    'adapt.versions': 'Adapted versions',
    'adapt.noVersions': 'No adapted version yet',
    'adapt.recommended': 'Recommended',
    'adapt.notRecommended': 'Not recommended: {why}',
    'adapt.metrics': 'Held-out labels: recall {rb} → {ra}, false-positive rate {fb} → {fa}',
    'adapt.confirmForce': 'This version is not better on held-out labels ({why}). Adopt it anyway? (audited as forced)',
    'adapt.adopted': 'Adopted {version}: {n} candidates re-scored, {dismissed} targets dismissed by the model',
    'adapt.restored': 'Restored: {now}',
  },
});

interface Metrics {
  recall: number | null;
  false_positive_rate: number | null;
}
interface Version {
  dir: string;
  version: string;
  adopt: boolean;
  why: string;
  held_out?: { before: Metrics; after: Metrics };
}
interface Job {
  kind: 'adapt' | 'adopt';
  state: 'running' | 'done' | 'failed';
  progress: string[];
  result: Record<string, unknown> | null;
  error: { message: string } | null;
}
interface State {
  inForce: { name: string; version: string; threshold: number } | null;
  versions: Version[];
  job: Job | null;
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : fmtNumber(x, 3));

/** What the progress box shows: the job's state, then its last eight progress lines. */
function progressText(j: Job): string {
  const state = j.state === 'running' ? t('adapt.running') : j.state === 'done' ? t('adapt.done') : '';
  return [state, ...j.progress.slice(-8)].filter(Boolean).join('\n');
}

/** The message told when a job has finished: its failure, or what an adoption re-scored; null for a finished adapt. */
function outcomeMessage(j: Job): { className: string; text: string } | null {
  if (j.state === 'failed') return { className: 'msg bad', text: t('adapt.failed', { msg: j.error?.message ?? '' }) };
  if (j.state === 'done' && j.kind === 'adopt' && j.result) {
    return {
      className: 'msg ok',
      text: t('adapt.adopted', { version: String(j.result.version), n: Number(j.result.rescored), dismissed: Number(j.result.dismissed ?? 0) }),
    };
  }
  return null;
}

/** Which model scores targets now: the adopted version, or the scans' own scores. */
function inForceText(s: State): string {
  return s.inForce ? t('adapt.inForce', { name: s.inForce.name, version: s.inForce.version, threshold: s.inForce.threshold }) : t('adapt.scanScores');
}

/** Shows a message in the result line, styled ok / bad / plain. */
function setMessage(out: HTMLElement, className: string, text: string): void {
  out.className = className;
  out.textContent = text;
}

/** The panel's parts, before any state is shown. */
function adaptationParts(mayAct: boolean) {
  return {
    inForce: h('p', { 'data-testid': 'adapt-in-force' }),
    synthetic: h('input', { type: 'checkbox', 'data-testid': 'adapt-synthetic' }),
    progress: h('pre', { class: 'muted', 'data-testid': 'adapt-progress' }),
    out: h('div', { class: 'msg', 'data-testid': 'adapt-result' }),
    versions: h('ul', { 'data-testid': 'adapt-versions' }),
    runBtn: h('button', { type: 'button', 'data-testid': 'adapt-run', disabled: !mayAct }, t('adapt.run')),
    restoreBtn: h('button', { type: 'button', 'data-testid': 'adapt-restore', disabled: !mayAct }, t('adapt.restore')),
  };
}

/** Lays the parts out under the title and hint. */
function adaptationLayout(p: ReturnType<typeof adaptationParts>): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'data-testid': 'adaptation' },
    h('h2', null, t('adapt.title')),
    h('p', { class: 'muted' }, t('adapt.hint')),
    p.inForce,
    h('label', null, p.synthetic, ' ', t('adapt.synthetic')),
    h('p', null, p.runBtn, ' ', p.restoreBtn),
    p.progress,
    p.out,
    h('h3', null, t('adapt.versions')),
    p.versions,
  );
}

/**
 * The manager's local adaptation (issue 17; GET/POST /api/adaptation): adapt as a job whose progress is polled, the
 * adapted versions with their held-out figures and an adopt button each, and restore. Only a manager may act.
 */
export function adaptationPanel(mayAct: boolean, onChanged: () => void): HTMLElement {
  const parts = adaptationParts(mayAct);
  const { versions, runBtn, restoreBtn, out } = parts;
  let polling = false;
  let lastJob: Job | null = null;

  const show = (s: State) => {
    parts.inForce.textContent = inForceText(s);
    versions.replaceChildren(...(s.versions.length ? s.versions.map((v) => versionItem(v)) : [h('li', { class: 'muted' }, t('adapt.noVersions'))]));
    const j = s.job;
    runBtn.disabled = restoreBtn.disabled = !mayAct || j?.state === 'running';
    if (!j) return;
    parts.progress.textContent = progressText(j);
    // The outcome is told once, when a job seen running has finished (a later refresh keeps other messages).
    if (lastJob?.state === 'running' && j.state !== 'running') {
      const told = outcomeMessage(j);
      if (told) setMessage(out, told.className, told.text);
      onChanged();
    }
    lastJob = j;
  };
  const versionItem = (v: Version) =>
    versionRow(
      v,
      mayAct,
      () =>
        void act(async () => {
          const force = !v.adopt;
          if (force && !window.confirm(t('adapt.confirmForce', { why: v.why }))) return;
          lastJob = (await api<{ job: Job }>('/api/adaptation/adopt', { body: { version: v.dir, force } })).job;
        }),
    );
  const refresh = async () => {
    const s = await api<State>('/api/adaptation');
    show(s);
    return s;
  };
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      for (let s = await refresh(); s.job?.state === 'running' && panel.isConnected; s = await refresh()) await new Promise((r) => setTimeout(r, 1000));
    } finally {
      polling = false;
    }
  };
  const act = async (fn: () => Promise<void>) => {
    setMessage(out, 'msg', '');
    try {
      await fn();
      await poll();
    } catch (err) {
      setMessage(out, 'msg bad', errorText(err));
    }
  };
  // The job each POST starts is remembered as running, so its outcome is told even when it ends before the first poll.
  runBtn.onclick = () =>
    void act(async () => void (lastJob = (await api<{ job: Job }>('/api/adaptation', { body: { synthetic: parts.synthetic.checked ? 6 : 0 } })).job));
  restoreBtn.onclick = () =>
    void act(async () => {
      const r = await api<{ now: { name: string; version: string } | null }>('/api/adaptation/restore', { method: 'POST', body: {} });
      setMessage(out, 'msg ok', t('adapt.restored', { now: r.now ? `${r.now.name} ${r.now.version}` : t('adapt.scanScores') }));
      onChanged();
    });
  const panel = adaptationLayout(parts);
  void poll().catch((err) => setMessage(out, 'msg bad', errorText(err)));
  return panel;
}

/** One adapted version: its version string, whether adoption is recommended and why, held-out figures, an adopt button. */
function versionRow(v: Version, mayAct: boolean, onAdopt: () => void): HTMLElement {
  const m = v.held_out;
  return h(
    'li',
    { 'data-version': v.dir },
    h('strong', null, v.version),
    ' ',
    h('span', { class: v.adopt ? 'ok' : 'muted' }, v.adopt ? t('adapt.recommended') : t('adapt.notRecommended', { why: v.why })),
    ...(m
      ? [
          h(
            'div',
            { class: 'muted' },
            t('adapt.metrics', { rb: f3(m.before.recall), ra: f3(m.after.recall), fb: f3(m.before.false_positive_rate), fa: f3(m.after.false_positive_rate) }),
          ),
        ]
      : []),
    h('button', { type: 'button', 'data-testid': `adapt-adopt-${v.dir}`, disabled: !mayAct, onclick: onAdopt }, t('adapt.adopt')),
  );
}
