import './field-messages';
import { t } from '../i18n/index';
import type { OutboxPhoto, ReportFeature } from '../pwa/outbox';
import { sha256Hex } from '../pwa/sha256';
import { h } from '../ui/h';
import { buildReport, VERDICTS, type Verdict } from './build-report';
import { errorText } from '../api/error-text';

/** What the sheet needs: the stop (or none for an off-route finding) and how to read the current fix. */
export interface ReportSheetOptions {
  team: string | null;
  targetId: string | null;
  stopSeq: number | null;
  stopPosition: [number, number] | null;
  currentFix: () => { lon: number; lat: number; accuracyM: number } | null;
  onSave: (report: ReportFeature, photos: OutboxPhoto[]) => Promise<void>;
  onClose: () => void;
}

/**
 * The full-screen report form: verdict as big choices, what it was (for not poppy), plant count,
 * area, camera photos, notes and the position used. Validates with {@link buildReport} and hands
 * the report and photo bytes to `onSave` (the outbox).
 */
export function reportSheet(o: ReportSheetOptions): HTMLElement {
  const reportId = crypto.randomUUID();
  const photos: OutboxPhoto[] = [];
  const urls: string[] = [];
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'form-error' });
  const what = h('input', { type: 'text', name: 'what', 'data-testid': 'form-what', placeholder: '油菜 / 土豆 / …' });
  const whatRow = h('label', { class: 'field-row', hidden: true }, t('field.form.what'), what);
  const count = h('input', { type: 'number', name: 'plantCount', min: '0', step: '1', inputmode: 'numeric', 'data-testid': 'form-count' });
  const area = h('input', { type: 'number', name: 'areaM2', min: '0', step: 'any', inputmode: 'decimal', 'data-testid': 'form-area' });
  const notes = h('textarea', { name: 'notes', rows: 3, 'data-testid': 'form-notes' });
  const thumbs = h('div', { class: 'thumbs', 'data-testid': 'form-thumbs' });
  const fileInput = h('input', {
    type: 'file', accept: 'image/*', capture: 'environment', multiple: true, 'data-testid': 'form-photos',
    onchange: async () => {
      for (const file of [...(fileInput.files ?? [])]) {
        const bytes = await file.arrayBuffer();
        const sha = await sha256Hex(bytes);
        if (photos.some((p) => p.sha256 === sha)) continue;
        photos.push({ sha256: sha, type: file.type || 'image/jpeg', bytes, name: file.name });
        const url = URL.createObjectURL(file);
        urls.push(url);
        thumbs.append(h('img', { src: url, alt: file.name }));
      }
      fileInput.value = '';
    },
  });
  const verdictInputs = VERDICTS.map((v) =>
    h('label', null, h('input', { type: 'radio', name: 'verdict', value: v, 'data-testid': `verdict-${v}`, onchange: () => {
      whatRow.hidden = v !== 'not_poppy';
      error.textContent = ''; // a verdict answers "choose a verdict": no stale error
    } }), t(`field.verdict.${v}`)),
  );
  const fix = o.currentFix();
  const position = h('p', { class: 'muted', 'data-testid': 'form-position' },
    fix ? `${fix.lat.toFixed(6)}, ${fix.lon.toFixed(6)} ±${Math.round(fix.accuracyM)} m` : o.targetId && o.stopPosition ? t('field.form.stopPosition') : t('field.noFix'));
  const close = () => {
    urls.forEach((u) => URL.revokeObjectURL(u));
    o.onClose();
  };
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'form-save' }, t('field.form.save'));
  const form = h(
    'form',
    {
      class: 'sheet',
      'data-testid': 'report-sheet',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const checked = form.querySelector<HTMLInputElement>('input[name=verdict]:checked');
        const r = buildReport({
          reportId, targetId: o.targetId, team: o.team, verdict: (checked?.value as Verdict) ?? null, what: what.value, plantCount: count.value, areaM2: area.value, notes: notes.value,
          fix: o.currentFix(), stopPosition: o.stopPosition, photoShas: photos.map((p) => p.sha256), observedAt: new Date(),
        });
        if (!r.ok) {
          error.textContent = t(r.problem.messageKey);
          return;
        }
        save.disabled = true;
        try {
          await o.onSave(r.report, photos);
          close();
        } catch (err) {
          error.textContent = errorText(err);
          save.disabled = false;
        }
      },
    },
    h('h2', null, o.targetId ? `${t('field.form.title')} · ${o.stopSeq ? t('field.stop', { seq: o.stopSeq }) + ' · ' : ''}${t('field.form.target', { id: o.targetId })}` : t('field.form.titleOffRoute')),
    h('fieldset', null, h('legend', null, t('field.form.verdict')), h('div', { class: 'verdicts' }, ...verdictInputs)),
    whatRow,
    h('label', { class: 'field-row' }, t('field.form.plantCount'), count),
    h('label', { class: 'field-row' }, t('field.form.areaM2'), area),
    h('fieldset', null, h('legend', null, t('field.form.photos')), h('label', { class: 'big button photo-button', 'data-testid': 'form-add-photo' }, t('field.form.addPhoto'), fileInput), thumbs),
    h('label', { class: 'field-row' }, t('field.form.notes'), notes),
    h('fieldset', null, h('legend', null, t('field.form.position')), position),
    error,
    h('div', { class: 'sheet-actions' }, h('button', { type: 'button', onclick: close, 'data-testid': 'form-cancel' }, t('field.form.cancel')), save),
  );
  return form;
}
