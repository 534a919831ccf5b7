/** Simplified Chinese strings, the default language. Every UI string has a key here and in en.ts. */
export const zhCN = {
  'app.title': '天地协同',
  'app.subtitle': '禁种铲毒无人机与地面协同调查',
  'nav.operator': '操作员',
  'nav.planner': '规划',
  'nav.field': '外业',
  'nav.manager': '管理',
  'lang.switch': 'English',
  'view.notAvailable': '此页面尚未提供。',
  'common.loading': '加载中…',
  'common.error': '出错了',
  'common.close': '关闭',
  'common.cancel': '取消',
  'common.ok': '确定',
  'map.orthophoto': '正射影像',
  'map.heatmap': '热力图',
  'map.opacity': '透明度',
  'map.targets': '目标',
  'map.gaps': '覆盖缺口',
  'map.zones': '行政区',
  'map.footprints': '影像范围',
  'map.layers': '图层',
} as const;

export type MessageKey = keyof typeof zhCN;
