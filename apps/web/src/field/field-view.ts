import './field-messages';
import './field.css';
import { getLang, t } from '../i18n/index';
import type { View } from '../router';
import { Outbox } from '../pwa/outbox';
import { registerServiceWorker } from '../pwa/register-service-worker';
import { h } from '../ui/h';
import { onAccountChange, type Account } from '../auth/session';
import { errorText } from '../api/error-text';
import { fieldFrame, type FieldFrame } from './field-status';
import { loadRoute, whoIsSignedIn } from './field-session';
import { loginPanel } from './login-panel';
import { routePanel, type RouteContext } from './route-panel';

/** #/field — a field team's route, map, position and reports, working offline (issue 7). */
const fieldView: View = (root) => {
  const el = h('div', { class: 'field', 'data-testid': 'field-view' });
  root.append(el);
  const cleanups: (() => void)[] = [];
  let disposed = false;
  void start(el, cleanups, () => disposed).catch((err) => {
    el.append(h('p', { class: 'banner bad' }, errorText(err)));
  });
  return () => {
    disposed = true;
    cleanups.splice(0).forEach((f) => f());
  };
};
export default fieldView;

/**
 * The view's stages: open the outbox (reports survive everything), build the status bar that keeps
 * sending ({@link fieldFrame}), find who is signed in ({@link whoIsSignedIn}), then show the login
 * or the team's route ({@link showRoute}).
 */
async function start(el: HTMLElement, cleanups: (() => void)[], isDisposed: () => boolean): Promise<void> {
  void registerServiceWorker().catch((err) => console.warn('service worker not registered', err));
  // Ask the browser not to evict the outbox and caches under storage pressure (reports must survive).
  void navigator.storage?.persist?.().catch(() => false);
  const outbox = await Outbox.open();
  cleanups.push(() => outbox.close());
  const frame = await fieldFrame(el, outbox, cleanups);
  const { account, reachable } = await whoIsSignedIn(outbox);
  if (isDisposed()) return;
  const ctx: RouteContext = { outbox, frame, cleanups, isDisposed };
  frame.needLogin = () => askToSignInAgain(outbox, frame);
  forgetOnSignOut(outbox, cleanups);
  if (!account) {
    if (!reachable) frame.showBanner(t('field.noCache'), true);
    showLogin(ctx, reachable ? undefined : t('field.auth.offlineNeeded'));
    return;
  }
  await showRoute(ctx, account);
  if (reachable) void frame.flush();
}

/** The login panel in place of everything; once signed in, the route. */
function showLogin(ctx: RouteContext, note?: string): void {
  ctx.frame.body.replaceChildren(
    loginPanel(async (acc) => {
      await ctx.outbox.setValue('account', acc);
      ctx.frame.showBanner(null);
      void ctx.frame.flush();
      void showRoute(ctx, acc);
    }, note),
  );
}

/** The sign-in expired while sending: a login panel above the route, which stays. */
function askToSignInAgain(outbox: Outbox, frame: FieldFrame): void {
  const body = frame.body;
  if (!body.querySelector('.login-panel'))
    body.prepend(
      loginPanel(async (acc) => {
        await outbox.setValue('account', acc);
        body.querySelector('.login-panel')?.remove();
        frame.showBanner(null);
        void frame.flush();
      }, t('field.auth.expired')),
    );
}

/** An explicit sign-out (online) forgets the saved account and route on this phone; queued reports stay until sent. */
function forgetOnSignOut(outbox: Outbox, cleanups: (() => void)[]): void {
  cleanups.push(
    onAccountChange((a) => {
      if (a === null && navigator.onLine) {
        void outbox.setValue('account', undefined);
        void caches?.delete('tiandi-data');
      }
    }),
  );
}

/** The route of a field account, fresh or from this phone's copy; others are told this page is for field teams. */
async function showRoute(ctx: RouteContext, acc: Account): Promise<void> {
  const { frame } = ctx;
  if (acc.role !== 'field') {
    frame.body.replaceChildren(h('p', { class: 'card' }, t('field.notField')));
    return;
  }
  const loaded = await loadRoute(acc.team ?? null, ctx.outbox);
  if (loaded === 'sign-in') return showLogin(ctx, t('field.auth.expired'));
  if (loaded === 'none') {
    frame.showBanner(t('field.noCache'), true);
    frame.body.replaceChildren();
    return;
  }
  if (loaded.fromCache) frame.showBanner(t('field.fromCache', { time: new Date(loaded.savedAt).toLocaleString(getLang()) }));
  if (ctx.isDisposed()) return;
  routePanel(ctx, acc, loaded.assignment, loaded.rasters, loaded.savedAt);
}
