import type { Account, LoginAnswer, LoginBody, SessionAnswer } from '@tiandi/api';
import { api, unauthorizedListeners } from '../api/api';
import { t } from '../i18n/index';
import { h } from '../ui/h';
import { errorText } from '../api/error-text';

/** The signed-in account as the server reports it (the API contract's). */
export type { Account };

let current: Account | null = null;
const listeners = new Set<(a: Account | null) => void>();

/** The signed-in account, or null. */
export function currentAccount(): Account | null {
  return current;
}

/** Calls `fn` whenever the account changes (sign-in, sign-out, expiry). */
export function onAccountChange(fn: (a: Account | null) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setAccount(a: Account | null): void {
  current = a;
  for (const fn of listeners) fn(a);
}

/** Asks the server who is signed in (null when nobody). */
export async function refreshAccount(): Promise<Account | null> {
  // /api/auth/session answers 200 when signed out, so a cold load logs no 401 in the console.
  const me = await api<SessionAnswer>('/api/auth/session');
  setAccount(me.account);
  return current;
}

/** Signs in with name and password; throws ApiError with the server's message on failure. */
export async function signIn(name: string, password: string): Promise<Account> {
  const res = await api<LoginAnswer>('/api/auth/login', { body: { name, password } satisfies LoginBody });
  setAccount(res.account);
  return res.account;
}

/** Signs out. */
export async function signOut(): Promise<void> {
  await api('/api/auth/logout', { method: 'POST', body: {} }).catch(() => undefined);
  setAccount(null);
}

unauthorizedListeners.add(() => {
  if (current) setAccount(null);
});

/** The sign-in form, shown in place of a view when nobody is signed in. Resolves once signed in. */
export function signInForm(root: HTMLElement): Promise<Account> {
  return new Promise((resolve) => {
    const name = h('input', { type: 'text', name: 'name', autocomplete: 'username', required: true, 'data-testid': 'login-name' });
    const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
    const error = h('p', { class: 'error', role: 'alert' });
    const form = h(
      'form',
      {
        class: 'login',
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          error.textContent = '';
          try {
            resolve(await signIn(name.value.trim(), password.value));
          } catch (e) {
            error.textContent = t('auth.failed', { message: errorText(e) });
          }
        },
      },
      h('h2', null, t('auth.title')),
      h('label', null, t('auth.name'), h('br'), name),
      h('label', null, t('auth.password'), h('br'), password),
      h('button', { class: 'primary', type: 'submit', 'data-testid': 'login-submit' }, t('auth.submit')),
      error,
    );
    // Never two forms: a re-render while a form is up replaces it.
    for (const old of root.querySelectorAll('.login-wrap')) old.remove();
    root.append(h('div', { class: 'login-wrap' }, form));
    name.focus();
    void api<{ signInHint: string | null }>('/api/health')
      .then((health) => health.signInHint && form.append(h('p', { class: 'muted', 'data-testid': 'sign-in-hint' }, health.signInHint)))
      .catch(() => undefined);
  });
}
