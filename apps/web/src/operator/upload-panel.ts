import { fmtNumber, getLang, t } from '../i18n/index';
import { errorText, isWorded, pickLanguage, uploadRefusalText } from '../api/error-text';
import { formatDuration } from './jobs-panel';
import { h } from '../ui/h';
import { uploadFile, type UploadState } from '../upload/upload-file';

function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${fmtNumber(n / 1024 ** 3, 2)} GB`;
  if (n >= 1024 ** 2) return `${fmtNumber(n / 1024 ** 2, 1)} MB`;
  return `${fmtNumber(n / 1024, 0)} kB`;
}

/** Upload speed and time left from the first progress sample of this attempt to now. */
export function uploadRate(
  first: { t: number; bytes: number },
  now: { t: number; bytes: number },
  total: number,
): { bytesPerS: number; etaS: number | null } | null {
  const dt = (now.t - first.t) / 1000;
  if (dt < 1 || now.bytes <= first.bytes) return null;
  const bytesPerS = (now.bytes - first.bytes) / dt;
  return { bytesPerS, etaS: (total - now.bytes) / bytesPerS };
}

/**
 * The server's reason in the UI's language: a coded refusal (a tiles cause, a checksum mismatch …) worded by the
 * app from its code and params; otherwise the server's line, whose Chinese part is often a short title with the
 * how-to only in English, so the Chinese UI keeps the whole line and the English UI drops the Chinese.
 */
function reasonText(reason: string | undefined, code?: string, params?: Record<string, string | number>): string {
  const worded = uploadRefusalText(code, params) ?? (isWorded(code) ? errorText({ code, params, message: reason }) : null);
  if (worded) return worded;
  if (getLang() !== 'en' || !reason) return reason ?? '';
  const named = /^([^\s:：]+\.\w+): ([\s\S]*)$/.exec(reason); // "file.tif: why" keeps its file name
  return named ? `${named[1]}: ${pickLanguage(named[2], 'en')}` : pickLanguage(reason, 'en');
}

/** Text of an upload state for the file row. */
export function describeUpload(s: UploadState, rate?: { bytesPerS: number; etaS: number | null } | null): string {
  const pct = Math.floor(s.fraction * 100);
  switch (s.phase) {
    case 'hashing':
      return t('upload.hashing', { pct });
    case 'uploading':
      return (
        t('upload.uploading', { pct, done: bytes(s.bytesSent), total: bytes(s.bytesTotal) }) +
        (rate ? ` · ${t('upload.speed', { speed: bytes(rate.bytesPerS), eta: formatDuration(rate.etaS) })}` : '')
      );
    case 'verifying':
      return t('upload.verifying');
    case 'queued':
      return s.existing ? t('upload.duplicate') + (s.sameImage ? ` → ${s.sameImage.imageId}` : '') : t('upload.queued');
    case 'rejected':
      return t('upload.rejected', { reason: reasonText(s.error, s.code, s.params) });
    case 'failed':
      return t('upload.failed', { reason: reasonText(s.error, s.code, s.params) });
  }
}

/** Marks the upload row of a finished scan as scanned, so "uploaded, waiting to scan" does not linger. */
export function showScanned(panel: ParentNode, jobId: string): void {
  for (const row of panel.querySelectorAll<HTMLElement>('li.upload')) {
    if (row.dataset.job !== jobId) continue;
    row.dataset.phase = 'scanned';
    const text = row.querySelector('.upload-state');
    if (text) text.textContent = t('upload.scanned');
  }
}

/** How full the progress bar is: hashing fills the first tenth, sending the rest, anything after it all. */
export function progressFraction(s: UploadState): number {
  return s.phase === 'hashing' ? s.fraction * 0.1 : s.phase === 'uploading' ? 0.1 + s.fraction * 0.9 : 1;
}

/** A file's row: name and size, progress bar and state line. */
function fileRow(file: File) {
  const bar = h('div');
  const text = h('div', { class: 'upload-state' });
  const row = h(
    'li',
    { class: 'upload', 'data-file': file.name },
    h('div', { class: 'upload-name' }, file.name, ' ', h('span', { class: 'muted' }, bytes(file.size))),
    h('div', { class: 'progress' }, bar),
    text,
  );
  return { row, bar, text };
}

/** Sends one file, showing its progress in its row, with a cancel button and, after a failure, a retry button. */
function uploadIntoRow(file: File, { row, bar, text }: ReturnType<typeof fileRow>, onQueued: (jobId: string) => void): void {
  const run = () => {
    row.classList.remove('rejected', 'failed', 'done');
    row.querySelector('button')?.remove();
    const abort = new AbortController();
    const cancel = h('button', { type: 'button', class: 'cancel', onclick: () => abort.abort() }, t('common.cancel'));
    row.append(cancel);
    let first: { t: number; bytes: number } | null = null;
    const show = (s: UploadState) => {
      if (s.phase === 'uploading' && !first) first = { t: performance.now(), bytes: s.bytesSent };
      const rate = s.phase === 'uploading' && first ? uploadRate(first, { t: performance.now(), bytes: s.bytesSent }, s.bytesTotal) : null;
      bar.style.width = `${Math.round(progressFraction(s) * 100)}%`;
      text.textContent = describeUpload(s, rate);
      row.dataset.phase = s.phase;
    };
    void uploadFile(file, show, { signal: abort.signal }).then((s) => {
      cancel.remove();
      if (s.phase === 'queued') {
        row.classList.add('done');
        if (s.jobId) {
          row.dataset.job = s.jobId;
          onQueued(s.jobId);
        }
      } else {
        row.classList.add(s.phase);
        bar.style.width = '0';
        if (s.phase === 'failed') row.append(h('button', { type: 'button', onclick: run }, t('upload.retry')));
      }
    });
  };
  run();
}

/** The drop zone: click or Enter opens the file chooser; dropped files go to `start`. */
function dropZone(input: HTMLInputElement, start: (files: FileList) => void): HTMLElement {
  const drop = h(
    'div',
    {
      class: 'dropzone',
      tabindex: '0',
      role: 'button',
      'data-testid': 'dropzone',
      onclick: () => input.click(),
      onkeydown: (e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && input.click(),
    },
    t('upload.drop'),
  );
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer?.files) start(e.dataTransfer.files);
  });
  return drop;
}

/**
 * The upload panel: a drop zone / file chooser for GeoTIFFs and one row per file with its progress
 * bar and state (checksum, upload, verification, queued, or the reason it was refused).
 */
export function uploadPanel(opts: { onQueued: (jobId: string) => void }): HTMLElement {
  const list = h('ul', { class: 'uploads', 'data-testid': 'upload-list' });
  const input = h('input', { type: 'file', accept: '.tif,.tiff,image/tiff', multiple: true, 'data-testid': 'upload-input', style: { display: 'none' } });
  const start = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const parts = fileRow(file);
      list.prepend(parts.row);
      if (!/\.(tif|tiff)$/i.test(file.name)) {
        parts.text.textContent = t('upload.notTiff');
        parts.row.classList.add('rejected');
        continue;
      }
      uploadIntoRow(file, parts, opts.onQueued);
    }
  };
  input.addEventListener('change', () => {
    if (input.files) start(input.files);
    input.value = '';
  });
  return h('section', { class: 'panel', 'data-testid': 'upload-panel' }, h('h2', null, t('upload.title')), dropZone(input, start), input, list);
}
