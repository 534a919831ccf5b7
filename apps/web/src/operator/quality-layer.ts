import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap, MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';
import { api } from '../api/api';
import { registerMessages, t } from '../i18n/index';
import { maplibregl } from '../map/create-map';
import { TARGET_LAYERS, type RasterInfo } from '../map/survey-layers';
import { QUALITY_COLOURS, reasonsText } from './quality-reasons';
import { h } from '../ui/h';
import './quality-line';

registerMessages({
  'zh-CN': {
    'quality.layer': '影像质量',
    'quality.popup': '影像质量较差：{why}',
    'quality.popupNote': '不计入覆盖，按缺口补飞',
    'quality.image': '影像 {image}',
  },
  en: {
    'quality.layer': 'Imagery quality',
    'quality.popup': 'Poor imagery: {why}',
    'quality.popupNote': 'Not counted as coverage; re-fly it as a gap',
    'quality.image': 'Image {image}',
  },
});

type QualityFC = { type: 'FeatureCollection'; features: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }[] };

/**
 * The operator map's imagery-quality layer: each scan's poor blocks (GET /api/rasters/:id/quality.geojson),
 * semi-transparent and coloured by reason, above the rasters and below targets; a click shows why.
 */
export function addQualityLayer(map: MapLibreMap) {
  map.addSource('quality', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  const colour = ['match', ['at', 0, ['get', 'reasons']], ...Object.entries(QUALITY_COLOURS).flat(), '#9e9e9e'] as unknown as ExpressionSpecification;
  map.addLayer({ id: 'quality-fill', type: 'fill', source: 'quality', paint: { 'fill-color': colour, 'fill-opacity': 0.35 } }, 'targets-fill');
  map.addLayer(
    { id: 'quality-line', type: 'line', source: 'quality', paint: { 'line-color': colour, 'line-width': 1, 'line-dasharray': [3, 2] } },
    'targets-fill',
  );
  map.on('click', 'quality-fill', (e: MapMouseEvent & { features?: MapGeoJSONFeature[] }) => {
    // A target under the click has its own detail panel.
    if (map.queryRenderedFeatures(e.point, { layers: TARGET_LAYERS }).length) return;
    const p = e.features?.[0]?.properties;
    if (!p) return;
    const why = reasonsText(p.reasons);
    const body = h(
      'div',
      { 'data-testid': 'quality-popup' },
      h('strong', null, t('quality.popup', { why })),
      h('div', null, t('quality.popupNote')),
      p.image ? h('div', null, t('quality.image', { image: String(p.image) })) : null,
    );
    new maplibregl.Popup({ closeButton: true }).setLngLat(e.lngLat).setDOMContent(body).addTo(map);
  });
  map.on('mouseenter', 'quality-fill', () => (map.getCanvas().style.cursor = 'help'));
  map.on('mouseleave', 'quality-fill', () => (map.getCanvas().style.cursor = ''));

  const loaded = new Map<string, QualityFC['features']>();
  let visible = true;
  const setVisible = (on: boolean) => {
    visible = on;
    for (const id of ['quality-fill', 'quality-line']) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
  };
  return {
    /** Fetches the quality maps of heatmaps not loaded yet and draws them all. */
    async load(rasters: RasterInfo[], signal?: AbortSignal) {
      const fresh = rasters.filter((r) => r.quality && !loaded.has(r.quality));
      if (!fresh.length) return;
      let failed = 0;
      await Promise.all(
        fresh.map(async (r) => {
          const fc = await api<QualityFC>(r.quality!, { signal }).catch(() => null);
          if (fc) loaded.set(r.quality!, fc.features);
          else failed++;
        }),
      );
      if (signal?.aborted) return;
      const features = [...loaded.values()].flat();
      (map.getSource('quality') as GeoJSONSource).setData({ type: 'FeatureCollection', features } as never);
      // For tests and scripts: how many poor blocks are drawn, once every quality map has loaded (a failed one is retried on the next refresh).
      if (!failed) map.getContainer().dataset.qualityBlocks = String(features.length);
    },
    /** Its row in the layer panel. */
    control(): HTMLElement {
      const box = h('input', { type: 'checkbox', checked: visible, 'data-testid': 'layer-quality', onchange: () => setVisible(box.checked) });
      return h('label', { title: t('quality.popupNote') }, box, t('quality.layer'));
    },
    setVisible,
  };
}
