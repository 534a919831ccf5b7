import { t } from '../i18n/index';
import { onWorkerFlushed, requestOutboxSync } from '../pwa/background-sync';
import { flushOutbox, httpTransport } from '../pwa/flush-outbox';
import type { Outbox, OutboxCounts } from '../pwa/outbox';
import { h } from '../ui/h';

const FLUSH_EVERY_MS = 15_000;

/** The field view's frame: the status bar and banner above, the body below, and the sending of queued reports. */
export interface FieldFrame {
  /** Where the login panel or the route goes. */
  body: HTMLElement;
  /** Shows a message under the status bar (null hides it). */
  showBanner(text: string | null, bad?: boolean): void;
  /** Sends what waits in the outbox, if online and not already sending. */
  flush(): Promise<void>;
  /** Called whenever the queue changed (a report queued, sent or rejected). */
  onQueueChange: (() => void) | null;
  /** Called when the server wants the team to sign in again while sending. */
  needLogin: (() => void) | null;
}

/**
 * Builds the status bar (connection, what waits to be sent, send now), the banner and the body in
 * `el`, and keeps sending: when the connection returns, every 15 s while reports wait, and on
 * demand; the service worker's background sends update the counts. Listeners go into `cleanups`.
 */
export async function fieldFrame(el: HTMLElement, outbox: Outbox, cleanups: (() => void)[]): Promise<FieldFrame> {
  const net = h('span', { class: 'net', 'data-testid': 'net-state' });
  const pending = h('span', { class: 'pending', 'data-testid': 'pending-count', 'aria-live': 'polite' });
  const sendBtn = h('button', { type: 'button', 'data-testid': 'send-now', onclick: () => void frame.flush() }, t('field.sendNow'));
  const statusbar = h('div', { class: 'statusbar' }, net, pending, sendBtn);
  const banner = h('div', { class: 'banner', hidden: true, 'data-testid': 'field-banner' });
  const body = h('div', { class: 'field-body', style: { display: 'contents' } });
  el.append(statusbar, banner, body);

  let counts: OutboxCounts = await outbox.counts();
  let sending = false;
  const drawStatus = () => {
    const online = navigator.onLine;
    net.className = `net${online ? '' : ' off'}`;
    net.textContent = online ? t('field.online') : t('field.offline');
    pending.textContent = pendingText(counts);
    pending.dataset.pending = String(counts.pending);
    pending.className = `pending${counts.pending > 0 ? ' has' : ''}`;
    sendBtn.textContent = sending ? t('field.sending') : t('field.sendNow');
    sendBtn.disabled = sending || counts.pending === 0 || !online;
  };
  const showBanner = (text: string | null, bad = false) => {
    banner.hidden = !text;
    banner.className = `banner${bad ? ' bad' : ''}`;
    banner.textContent = text ?? '';
  };

  const frame: FieldFrame = {
    body,
    showBanner,
    onQueueChange: null,
    needLogin: null,
    async flush() {
      if (sending || !navigator.onLine) return;
      sending = true;
      drawStatus();
      try {
        const s = await flushOutbox(outbox, httpTransport());
        if (s.stopped === 'auth') {
          showBanner(t('field.auth.expired'), true);
          frame.needLogin?.();
        }
        if (s.sent.length + s.duplicates.length > 0) showBanner(t('field.sentN', { n: s.sent.length + s.duplicates.length }));
        // Not all sent: let the service worker send the rest when the connection returns, even if the app is closed.
        if (s.stopped === 'offline' || s.stopped === 'server') void requestOutboxSync();
      } finally {
        sending = false;
        counts = await outbox.counts();
        drawStatus();
        frame.onQueueChange?.();
      }
    },
  };
  cleanups.push(
    outbox.onChange((c) => {
      counts = c;
      drawStatus();
      frame.onQueueChange?.();
    }),
  );
  drawStatus();
  keepSending(frame, cleanups, {
    drawStatus,
    pendingCount: () => counts.pending,
    recount: () =>
      void outbox.counts().then((c) => {
        counts = c;
        drawStatus();
        frame.onQueueChange?.();
      }),
  });
  return frame;
}

/** What waits: reports, photos and rejected ones, or "all sent". */
function pendingText(counts: OutboxCounts): string {
  const parts = counts.pending > 0 ? [t('field.pending', { n: counts.pending })] : [t('field.allSent')];
  if (counts.photosPending > 0) parts.push(t('field.pendingPhotos', { n: counts.photosPending }));
  if (counts.rejected > 0) parts.push(t('field.rejected', { n: counts.rejected }));
  return parts.join(' · ');
}

/** Sends when the connection returns and every 15 s while reports wait; shows what the service worker sent in the background. */
function keepSending(frame: FieldFrame, cleanups: (() => void)[], status: { drawStatus(): void; pendingCount(): number; recount(): void }): void {
  const onOnline = () => {
    status.drawStatus();
    void frame.flush();
  };
  const onOffline = () => status.drawStatus();
  cleanups.push(
    onWorkerFlushed((s) => {
      status.recount();
      if (s.sent.length + s.duplicates.length > 0) frame.showBanner(t('field.sentN', { n: s.sent.length + s.duplicates.length }));
    }),
  );
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  const timer = setInterval(() => {
    if (status.pendingCount() > 0) void frame.flush();
  }, FLUSH_EVERY_MS);
  cleanups.push(() => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    clearInterval(timer);
  });
}
