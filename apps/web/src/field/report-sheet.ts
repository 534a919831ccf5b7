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

/** The photo picker: reads each chosen image once (by SHA-256), keeps its bytes and shows a thumbnail. */
function photoPicker(photos: OutboxPhoto[], urls: string[]): { fileInput: HTMLInputElement; thumbs: HTMLElement } {
  const thumbs = h('div', { class: 'thumbs', 'data-testid': 'form-thumbs' });
  const fileInput = h('input', {
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    multiple: true,
    'data-testid': 'form-photos',
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
  return { fileInput, thumbs };
}

/** One big radio choice per verdict; "not poppy" shows the "what was it" row. */
function verdictChoices(whatRow: HTMLElement, error: HTMLElement): HTMLElement[] {
  return VERDICTS.map((v) =>
    h(
      'label',
      null,
      h('input', {
        type: 'radio',
        name: 'verdict',
        value: v,
        'data-testid': `verdict-${v}`,
        onchange: () => {
          whatRow.hidden = v !== 'not_poppy';
          error.textContent = ''; // a verdict answers "choose a verdict": no stale error
        },
      }),
      t(`field.verdict.${v}`),
    ),
  );
}

/** The position line: the fix with its accuracy, else the stop's position, else "no fix". */
function positionText(fix: ReturnType<ReportSheetOptions['currentFix']>, o: ReportSheetOptions): string {
  if (fix) return `${fix.lat.toFixed(6)}, ${fix.lon.toFixed(6)} ±${Math.round(fix.accuracyM)} m`;
  return o.targetId && o.stopPosition ? t('field.form.stopPosition') : t('field.noFix');
}

/** The sheet's heading: stop and target, or "off-route finding". */
function sheetTitle(o: ReportSheetOptions): string {
  if (!o.targetId) return t('field.form.titleOffRoute');
  return `${t('field.form.title')} · ${o.stopSeq ? t('field.stop', { seq: o.stopSeq }) + ' · ' : ''}${t('field.form.target', { id: o.targetId })}`;
}

/** The form's inputs, read by {@link buildReport} on submit. */
interface ReportInputs {
  what: HTMLInputElement;
  count: HTMLInputElement;
  area: HTMLInputElement;
  notes: HTMLTextAreaElement;
}

/** The free-text and number inputs, empty. */
function reportInputs(): ReportInputs {
  return {
    what: h('input', { type: 'text', name: 'what', 'data-testid': 'form-what', placeholder: '油菜 / 土豆 / …' }),
    count: h('input', { type: 'number', name: 'plantCount', min: '0', step: '1', inputmode: 'numeric', 'data-testid': 'form-count' }),
    area: h('input', { type: 'number', name: 'areaM2', min: '0', step: 'any', inputmode: 'decimal', 'data-testid': 'form-area' }),
    notes: h('textarea', { name: 'notes', rows: 3, 'data-testid': 'form-notes' }),
  };
}

/** Validates the form as it stands now (fix read at submit time). */
function readReport(
  form: HTMLFormElement,
  inputs: ReportInputs,
  o: ReportSheetOptions,
  reportId: string,
  photos: OutboxPhoto[],
): ReturnType<typeof buildReport> {
  const checked = form.querySelector<HTMLInputElement>('input[name=verdict]:checked');
  return buildReport({
    reportId,
    targetId: o.targetId,
    team: o.team,
    verdict: (checked?.value as Verdict) ?? null,
    what: inputs.what.value,
    plantCount: inputs.count.value,
    areaM2: inputs.area.value,
    notes: inputs.notes.value,
    fix: o.currentFix(),
    stopPosition: o.stopPosition,
    photoShas: photos.map((p) => p.sha256),
    observedAt: new Date(),
  });
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
  const inputs = reportInputs();
  const whatRow = h('label', { class: 'field-row', hidden: true }, t('field.form.what'), inputs.what);
  const { fileInput, thumbs } = photoPicker(photos, urls);
  const position = h('p', { class: 'muted', 'data-testid': 'form-position' }, positionText(o.currentFix(), o));
  const close = () => {
    urls.forEach((u) => URL.revokeObjectURL(u));
    o.onClose();
  };
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'form-save' }, t('field.form.save'));
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const r = readReport(form, inputs, o, reportId, photos);
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
  };
  const form = h(
    'form',
    { class: 'sheet', 'data-testid': 'report-sheet', onsubmit: submit },
    h('h2', null, sheetTitle(o)),
    h('fieldset', null, h('legend', null, t('field.form.verdict')), h('div', { class: 'verdicts' }, ...verdictChoices(whatRow, error))),
    whatRow,
    h('label', { class: 'field-row' }, t('field.form.plantCount'), inputs.count),
    h('label', { class: 'field-row' }, t('field.form.areaM2'), inputs.area),
    h(
      'fieldset',
      null,
      h('legend', null, t('field.form.photos')),
      h('label', { class: 'big button photo-button', 'data-testid': 'form-add-photo' }, t('field.form.addPhoto'), fileInput),
      thumbs,
    ),
    h('label', { class: 'field-row' }, t('field.form.notes'), inputs.notes),
    h('fieldset', null, h('legend', null, t('field.form.position')), position),
    error,
    h('div', { class: 'sheet-actions' }, h('button', { type: 'button', onclick: close, 'data-testid': 'form-cancel' }, t('field.form.cancel')), save),
  );
  return form;
}
