import { t } from '../i18n/index';
import { h } from '../ui/h';
import type { SurveyLayers } from './survey-layers';

/** The floating layer panel: orthophoto and heatmap (toggle + opacity), targets, gaps, zones, footprints. */
export function layerControl(layers: SurveyLayers, extra: HTMLElement[] = []): HTMLElement {
  const rasterRow = (kind: 'ortho' | 'heatmap', label: string) => {
    const st = layers.rasterState[kind];
    const box = h('input', {
      type: 'checkbox',
      checked: st.visible,
      'data-testid': `layer-${kind}`,
      onchange: () => layers.setRasterVisible(kind, box.checked),
    });
    const slider = h('input', {
      type: 'range',
      min: '0',
      max: '1',
      step: '0.05',
      value: String(st.opacity),
      title: t('map.opacity'),
      'aria-label': `${label} ${t('map.opacity')}`,
      'data-testid': `opacity-${kind}`,
      oninput: () => layers.setRasterOpacity(kind, Number(slider.value)),
    });
    return h('label', null, box, label, slider);
  };
  const vectorRow = (group: 'targets' | 'gaps' | 'zones' | 'footprints', label: string) => {
    const box = h('input', { type: 'checkbox', checked: true, 'data-testid': `layer-${group}`, onchange: () => layers.setVectorVisible(group, box.checked) });
    return h('label', null, box, label);
  };
  // On a phone the panel starts folded, so it does not cover half the map.
  const phone = typeof matchMedia === 'function' && matchMedia('(max-width: 600px)').matches;
  return h(
    'details',
    { class: 'layer-control', 'data-testid': 'layer-control', open: !phone },
    h('summary', null, t('map.layers')),
    rasterRow('ortho', t('map.orthophoto')),
    rasterRow('heatmap', t('map.heatmap')),
    vectorRow('targets', t('map.targets')),
    vectorRow('gaps', t('map.gaps')),
    vectorRow('zones', t('map.zones')),
    vectorRow('footprints', t('map.footprints')),
    ...extra,
  );
}
