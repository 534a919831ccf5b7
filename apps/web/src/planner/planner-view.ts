import { t } from '../i18n/index';
import { createMap } from '../map/create-map';
import type { View } from '../router';
import { h } from '../ui/h';

/** #/planner — choose targets, teams and depot; plan routes; export. */
const plannerView: View = (root) => {
  const mapEl = h('div', { class: 'map', 'data-testid': 'map' });
  root.append(h('div', { class: 'layout' }, h('aside', { class: 'sidebar' }, h('h2', null, t('nav.planner'))), h('div', { class: 'mapbox' }, mapEl)));
  const map = createMap(mapEl);
  return () => map.remove();
};
export default plannerView;
