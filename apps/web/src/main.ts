import './style.css';
import { getLang, onLangChange, setLang, t } from './i18n/index';
import { startRouter } from './router';
import { h } from './ui/h';
import { tabs, views } from './views';

const app = document.getElementById('app')!;
document.documentElement.lang = getLang();

const nav = h('nav', { class: 'tabs' });
const langButton = h('button', { class: 'lang', type: 'button', 'data-testid': 'lang-switch', onclick: () => setLang(getLang() === 'zh-CN' ? 'en' : 'zh-CN') });
const title = h('span', { class: 'brand-title' });
const header = h('header', { class: 'topbar' }, h('a', { class: 'brand', href: '#/operator' }, title), nav, langButton);
const main = h('main', { class: 'view' });
app.append(header, main);

let active = 'operator';
function drawChrome(): void {
  title.textContent = t('app.title');
  document.title = `${t('app.title')} · ${t('app.subtitle')}`;
  langButton.textContent = t('lang.switch');
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
});
onLangChange(() => {
  drawChrome();
  void rerender();
});
drawChrome();
