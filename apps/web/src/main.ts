import './style.css';
import { currentAccount, onAccountChange, refreshAccount, signInForm, signOut } from './auth/session';
import { getLang, onLangChange, setLang, t } from './i18n/index';
import { startRouter } from './router';
import { h } from './ui/h';
import { tabs, views } from './views';

const app = document.getElementById('app')!;
document.documentElement.lang = getLang();

const nav = h('nav', { class: 'tabs' });
const langButton = h('button', { class: 'lang', type: 'button', 'data-testid': 'lang-switch', onclick: () => setLang(getLang() === 'zh-CN' ? 'en' : 'zh-CN') });
const title = h('span', { class: 'brand-title' });
const accountBox = h('span', { class: 'account', 'data-testid': 'account' });
const header = h('header', { class: 'topbar' }, h('a', { class: 'brand', href: '#/operator' }, title), nav, accountBox, langButton);
const main = h('main', { class: 'view' });
app.append(header, main);

let active = 'operator';
function drawChrome(): void {
  title.textContent = t('app.title');
  document.title = `${t('app.title')} · ${t('app.subtitle')}`;
  langButton.textContent = t('lang.switch');
  const account = currentAccount();
  accountBox.replaceChildren(
    ...(account
      ? [h('span', null, t('auth.signedInAs', { name: account.name, role: t(`role.${account.role}`) })), h('button', { type: 'button', onclick: () => void signOut() }, t('auth.signOut'))]
      : []),
  );
  nav.replaceChildren(
    ...tabs.map((tab) => h('a', { href: `#/${tab.name}`, class: tab.name === active ? 'active' : '', 'data-route': tab.name }, t(tab.label))),
  );
}

const rerender = startRouter({
  root: main,
  views,
  fallback: 'operator',
  notFound: (root) => {
    root.append(h('p', { class: 'empty' }, t('view.notAvailable')));
  },
  onRoute: (name) => {
    active = name;
    drawChrome();
  },
  guard: async (root, name) => {
    // The field view signs in by itself and must open offline from its saved account (issue 7).
    if (name === 'field' || currentAccount()) return;
    if (await refreshAccount().catch(() => null)) return;
    await signInForm(root);
  },
});
let signedIn = currentAccount() !== null;
onAccountChange((a) => {
  drawChrome();
  // Sign-in or sign-out: re-render the view (a sign-out shows the sign-in form again).
  if ((a !== null) !== signedIn) {
    signedIn = a !== null;
    if (!signedIn) void rerender();
  }
});
onLangChange(() => {
  drawChrome();
  void rerender();
});
drawChrome();
