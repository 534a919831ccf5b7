import { fmtNumber, registerMessages, t } from '../i18n/index';

/** Strings of the scan's imagery-quality line. */
export const qualityZh = {
  'quality.line': '影像质量：{n} 块较差（{why}），{km2} km² 不计入覆盖，按缺口补飞',
  'quality.blurred': '模糊',
  'quality.overexposed': '过曝',
  'quality.dark': '过暗',
  'quality.hazy': '雾霾',
};
export const qualityEn: Record<keyof typeof qualityZh, string> = {
  'quality.line': 'Imagery quality: {n} poor {n, plural, one {block} other {blocks}} ({why}); {km2} km² not counted as coverage, re-fly them as gaps',
  'quality.blurred': 'blurred',
  'quality.overexposed': 'over-exposed',
  'quality.dark': 'too dark',
  'quality.hazy': 'hazy',
};
registerMessages({ 'zh-CN': qualityZh, en: qualityEn });

/** summary.json's `quality` as the scan sends it. */
export interface ScanQuality {
  blocks_poor: number;
  poor_area_km2: number;
  by_reason: Record<string, number>;
}

/** The operator's line about a finished scan's poor imagery (why it is not coverage), or null when all of it is fine. */
export function qualityLine(q: ScanQuality | null | undefined): string | null {
  if (!q || !q.blocks_poor) return null;
  const why = Object.entries(q.by_reason)
    .map(([r, n]) => `${t(`quality.${r}`)} ${n}`)
    .join(', ');
  return t('quality.line', { n: q.blocks_poor, why, km2: fmtNumber(q.poor_area_km2, 4) });
}
