import type { MessageKey } from './zh-CN';

/** English strings. Must have exactly the keys of zh-CN.ts (a test checks it). */
export const en: Record<MessageKey, string> = {
  'app.title': 'Tiandi',
  'app.subtitle': 'Drone + ground survey of illicit poppy',
  'nav.operator': 'Operator',
  'nav.planner': 'Planner',
  'nav.field': 'Field',
  'nav.manager': 'Manager',
  'lang.switch': '中文',
  'view.notAvailable': 'This page is not available yet.',
  'common.loading': 'Loading…',
  'common.error': 'Something went wrong',
  'common.close': 'Close',
  'common.cancel': 'Cancel',
  'common.ok': 'OK',
  'map.orthophoto': 'Orthophoto',
  'map.heatmap': 'Heatmap',
  'map.opacity': 'Opacity',
  'map.targets': 'Targets',
  'map.gaps': 'Coverage gaps',
  'map.zones': 'Zones',
  'map.footprints': 'Image footprints',
  'map.layers': 'Layers',
};
