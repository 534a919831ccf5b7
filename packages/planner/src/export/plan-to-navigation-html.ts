import type { Plan } from '../plan/plan-types';
import { formatClock } from './format-clock';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `navigation-gcj02.html`: one page per plan with, for each team and day, the stops in order as
 * tap-to-navigate Gaode (amap) links. Coordinates in the links are GCJ-02, as the file name says.
 */
export function planToNavigationHtml(plan: Plan): string {
  const parts: string[] = [];
  for (const r of plan.routes) {
    parts.push(`<h2>${esc(r.teamName ?? r.teamId)} · 第${r.day + 1}天 day ${r.day + 1}${r.date ? ` · ${esc(r.date)}` : ''}</h2><ol>`);
    for (const s of r.stops)
      parts.push(`<li><a href="${esc(s.amapUriGcj02)}">${esc(s.targetId)}</a> ${formatClock(s.arrivalS)}–${formatClock(s.departureS)}</li>`);
    parts.push('</ol>');
  }
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>踏查导航 Inspection navigation (GCJ-02)</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1rem}li{margin:.6rem 0}a{font-size:1.1rem}</style></head>
<body><h1>踏查导航 Inspection navigation</h1><p>高德地图链接，坐标为 GCJ-02。Gaode (amap) links; coordinates are GCJ-02.</p>
${parts.join('\n')}
</body></html>
`;
}
