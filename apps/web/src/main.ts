import './style.css';
import { homePage, mayOpen, pagesFor } from './auth/role-tabs';
import { currentAccount, onAccountChange, refreshAccount, signInForm, signOut, type Account } from './auth/session';
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
const brand = h('a', { class: 'brand', href: '#/operator' }, title);
const header = h('header', { class: 'topbar' }, brand, nav, accountBox, langButton);
const PAGES = tabs.map((tab) => tab.name);
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
      ? [
          h('span', null, t('auth.signedInAs', { name: account.name, role: t(`role.${account.role}`) })),
          h('button', { type: 'button', onclick: () => void signOut() }, t('auth.signOut')),
        ]
      : []),
  );
  const mine = pagesFor(account?.role, PAGES);
  brand.href = `#/${homePage(account?.role, PAGES, 'operator')}`;
  nav.replaceChildren(
    ...tabs
      .filter((tab) => mine.includes(tab.name))
      .map((tab) => h('a', { href: `#/${tab.name}`, class: tab.name === active ? 'active' : '', 'data-route': tab.name }, t(tab.label))),
  );
}

/** Says plainly that this page is not for the account's role, with links to the pages that are. */
function noPermission(root: HTMLElement, account: Account): false {
  root.replaceChildren(
    h(
      'section',
      { class: 'no-permission', 'data-testid': 'no-permission' },
      h('h2', null, t('view.noPermission')),
      h('p', null, t('view.noPermissionHint', { role: t(`role.${account.role}`) })),
      h('p', null, t('view.goTo'), ...pagesFor(account.role, PAGES).map((p) => h('a', { href: `#/${p}`, class: 'go-to' }, t(`nav.${p}`)))),
    ),
  );
  return false;
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
    if (name === 'field' && !currentAccount()) {
      void refreshAccount().catch(() => null); // only to narrow the tabs once the server answers
      return;
    }
    const account = currentAccount() ?? (await refreshAccount().catch(() => null)) ?? (await signInForm(root));
    // No page named: each role lands on its own page.
    if (!location.hash.replace(/^#\/?/, '')) {
      location.replace(`#/${homePage(account.role, PAGES, name)}`);
      return false;
    }
    if (!mayOpen(account.role, name, PAGES)) return noPermission(root, account);
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
