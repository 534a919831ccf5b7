import './field-messages';
import { t } from '../i18n/index';
import { h } from '../ui/h';
import { isServerAnswer } from '../api/api';
import { signIn, type Account } from '../auth/session';
import { errorText } from '../api/error-text';

/**
 * The sign-in form used by the field and manager views. Calls `onSignedIn` with the account after
 * a successful sign-in (the server sets the session cookie). The password never leaves the form
 * except in the POST body.
 */
export function loginPanel(onSignedIn: (account: Account) => void, note?: string): HTMLElement {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'username', required: true, autocapitalize: 'off', 'data-testid': 'login-name' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary big', 'data-testid': 'login-submit' }, t('field.auth.submit'));
  const form = h(
    'form',
    {
      class: 'login-panel',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        error.textContent = '';
        submit.disabled = true;
        try {
          const account = await signIn(name.value.trim(), password.value);
          password.value = '';
          onSignedIn(account);
        } catch (err) {
          error.textContent = isServerAnswer(err) ? t('field.auth.failed', { msg: errorText(err) }) : t('field.auth.offlineNeeded');
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h2', null, t('field.auth.title')),
    note ? h('p', { class: 'note' }, note) : null,
    h('label', null, t('field.auth.name'), name),
    h('label', null, t('field.auth.password'), password),
    submit,
    error,
  );
  return form;
}
