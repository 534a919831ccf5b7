import type { Plan } from '../plan/plan-types';
import { formatClock } from './format-clock';

const HEADER = [
  '小组 team',
  '日 day',
  '日期 date',
  '序号 seq',
  '目标 target',
  '经度 lon (WGS84)',
  '纬度 lat (WGS84)',
  '到达 arrive',
  '开始 start',
  '离开 leave',
  '作业分钟 service min',
  '优先级 priority',
  '步行米 walk m',
  '村 village',
  '面积 area m²',
  '检测分 score',
  '模型 model',
  '查看要点 what to look for',
  '高德导航 amap link (GCJ-02)',
];

/**
 * `stops.csv`: a printable stop list, one row per stop in visiting order (RFC 4180 quoting, CRLF,
 * UTF-8 with BOM so spreadsheet programs show Chinese correctly), then the unassigned targets.
 */
export function planToCsv(plan: Plan): string {
  const rows: (string | number)[][] = [HEADER];
  for (const r of plan.routes)
    r.stops.forEach((s, i) =>
      rows.push([
        r.teamName ?? r.teamId,
        r.day + 1,
        r.date ?? '',
        i + 1,
        s.targetId,
        s.lon.toFixed(6),
        s.lat.toFixed(6),
        formatClock(s.arrivalS),
        formatClock(s.startS),
        formatClock(s.departureS),
        Math.round(s.serviceS / 60),
        s.priority,
        Math.round(s.walkM),
        s.info?.village ?? '',
        s.info?.areaM2 !== undefined ? Math.round(s.info.areaM2) : '',
        s.info?.score !== undefined ? s.info.score.toFixed(2) : '',
        s.info?.model ?? '',
        s.info?.lookFor ?? '',
        s.amapUriGcj02,
      ]),
    );
  for (const u of plan.unassigned)
    rows.push([
      '未安排 unassigned',
      '',
      '',
      '',
      u.targetId,
      u.lon.toFixed(6),
      u.lat.toFixed(6),
      '',
      '',
      '',
      '',
      u.priority,
      '',
      '',
      '',
      '',
      '',
      '',
      `${u.reason}: ${u.message}`,
    ]);
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
