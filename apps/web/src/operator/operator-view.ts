import { t } from '../i18n/index';
import { createMap } from '../map/create-map';
import type { View } from '../router';
import { h } from '../ui/h';

/** #/operator — upload orthophotos, watch scans, review targets on the map. */
const operatorView: View = (root) => {
  const mapEl = h('div', { class: 'map', 'data-testid': 'map' });
  root.append(h('div', { class: 'layout' }, h('aside', { class: 'sidebar' }, h('h2', null, t('nav.operator'))), h('div', { class: 'mapbox' }, mapEl)));
  const map = createMap(mapEl);
  return () => map.remove();
};
export default operatorView;
