import { getLang, t } from '../i18n/index';
import './quality-line';

/** Fill colour of a poor block, by its first reason (the scan lists blur first, then exposure, then haze). */
export const QUALITY_COLOURS: Record<string, string> = { blurred: '#8e24aa', overexposed: '#f9a825', dark: '#263238', hazy: '#78909c' };

/** The reasons of a poor block in the UI language ("模糊、雾霾" / "blurred, hazy"); maplibre hands arrays over as JSON text. */
export function reasonsText(reasons: unknown): string {
  let list: unknown = reasons;
  if (typeof reasons === 'string') {
    try {
      list = JSON.parse(reasons);
    } catch {
      list = [reasons];
    }
  }
  return (Array.isArray(list) ? list : []).map((r) => t(`quality.${String(r)}`)).join(getLang() === 'en' ? ', ' : '、');
}
