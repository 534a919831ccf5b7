import { polygonsOf, type LonLat, type Polygonal } from '@tiandi/geo';
import type { Certificate } from './certify-zone';

const esc = (s: unknown) =>
  String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const STATUS_COLOR: Record<string, string> = {
  detected: '#e6a700',
  planned: '#e6a700',
  needs_revisit: '#e6a700',
  confirmed: '#d32f2f',
  eradicated: '#8e24aa',
  eradication_verified: '#2e7d32',
  inspected_negative: '#1565c0',
  dismissed_desk: '#90a4ae',
  dismissed_model: '#b0bec5',
};
const STATUS_ZH: Record<string, string> = {
  detected: '待核查 detected',
  planned: '已安排 planned',
  needs_revisit: '需复查 needs revisit',
  confirmed: '确认罂粟 confirmed',
  eradicated: '已铲除 eradicated',
  eradication_verified: '铲除已复核 eradication verified',
  inspected_negative: '核查为阴性 negative',
  dismissed_desk: '案头排除（未实地核查）dismissed at the desk, not visited',
  dismissed_model: '适配模型排除（未实地核查）dismissed by an adapted verifier, not visited',
};

/** An SVG map of the zone (equirectangular, north up), its coverage gaps and every target coloured by outcome. */
export function certificateSvg(cert: Pick<Certificate, 'zone' | 'gaps' | 'targets'>, widthPx = 640): string {
  const all = polygonsOf(cert.zone).flat(2);
  const lons = all.map((p) => p[0]),
    lats = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const pad = 12;
  const scale = (widthPx - 2 * pad) / Math.max((x1 - x0) * k, 1e-12);
  const heightPx = Math.round((y1 - y0) * scale + 2 * pad);
  const xy = ([lon, lat]: LonLat) => `${((lon - x0) * k * scale + pad).toFixed(1)},${((y1 - lat) * scale + pad).toFixed(1)}`;
  const path = (g: Polygonal) =>
    polygonsOf(g)
      .map((poly) => poly.map((r) => 'M' + r.map(xy).join('L') + 'Z').join(''))
      .join('');
  // Plots are a few metres across: each also gets a marker so it stays visible on a village-sized map.
  const targets = cert.targets
    .map((t) => {
      const pts = polygonsOf(t.geometry).flat(2);
      const c: LonLat = [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
      const [cx, cy] = xy(c).split(',');
      const color = STATUS_COLOR[t.status] ?? '#555';
      return `<g><title>${esc(t.id)} ${esc(STATUS_ZH[t.status] ?? t.status)}</title><path d="${path(t.geometry)}" fill="${color}" stroke="#000" stroke-width="0.8"/><circle cx="${cx}" cy="${cy}" r="5" fill="${color}" fill-opacity="0.85" stroke="#000" stroke-width="1"/></g>`;
    })
    .join('');
  // Scale bar (a round length near a quarter of the width) and a north arrow.
  const mPerPx = 110_574 / scale;
  const target = (widthPx / 4) * mPerPx;
  const pow = 10 ** Math.floor(Math.log10(target));
  const barM =
    [1, 2, 5, 10]
      .map((k) => k * pow)
      .filter((v) => v <= target)
      .pop() ?? pow;
  const barPx = barM / mPerPx;
  const by = heightPx - 8;
  const scaleBar = `<g font-size="11" font-family="sans-serif"><rect x="${pad}" y="${by - 6}" width="${barPx.toFixed(1)}" height="4" fill="#000"/><text x="${pad}" y="${by - 10}">${barM >= 1000 ? barM / 1000 + ' km' : barM + ' m'}</text></g>`;
  const north = `<g font-size="12" font-family="sans-serif" font-weight="bold"><path d="M${widthPx - 20},${pad + 4}l6,16h-12z" fill="#000"/><text x="${widthPx - 24}" y="${pad + 34}">N</text></g>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${widthPx} ${heightPx}" width="${widthPx}" height="${heightPx}" role="img" aria-label="区划地图 zone map">
<defs><pattern id="gap" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde0dc"/><line x1="0" y1="0" x2="0" y2="6" stroke="#d32f2f" stroke-width="2"/></pattern></defs>
<path d="${path(cert.zone)}" fill="#e8f5e9" stroke="#1b5e20" stroke-width="2" fill-rule="evenodd"/>
${cert.gaps ? `<path d="${path(cert.gaps)}" fill="url(#gap)" stroke="#d32f2f" stroke-width="0.8" fill-rule="evenodd"/>` : ''}
${targets}
${scaleBar}${north}
</svg>`;
}

/** Desk dismissals apart from ground inspections: how many, by whom, which model versions, the ground audit. */
function deskSection(cert: Certificate): string {
  const d = cert.deskDecisions;
  if (!d) return '';
  const who = d.byReviewer.map((r) => `${esc(r.by)} (${r.count})`).join(', ') || '—';
  return `<h2>实地核查与案头排除 Ground inspections and desk dismissals</h2>
<table class="meta" data-testid="desk-decisions">
<tr><td>实地核查 Inspected on the ground</td><td>${d.groundInspected}</td></tr>
<tr><td>案头排除 Dismissed at the desk (not visited)</td><td>${d.dismissed}</td></tr>
<tr><td>审核员 Reviewers</td><td>${who}</td></tr>
<tr><td>模型版本 Model versions</td><td>${esc(d.modelVersions.join(', ') || '—')}</td></tr>
<tr><td>地面抽查 Ground audit of desk dismissals</td><td>${d.audited} 抽中 drawn · ${d.auditedInspected} 已实地核查 inspected</td></tr>
${
  d.modelDismissed
    ? `<tr><td>适配模型排除 Dismissed by an adapted verifier (not visited)</td><td>${d.modelDismissed.count} · ${esc(d.modelDismissed.byModel.map((m) => `${m.model} (${m.count})`).join(', ') || '—')} · 地面抽查 audit ${d.modelDismissed.audited}</td></tr>
`
    : ''
}</table>`;
}

/** A printable A4 HTML certificate: zone map, coverage, targets and outcomes, the rule table, signer and digest. */
export function certificateHtml(cert: Certificate): string {
  const pct = (x: number) => (x * 100).toFixed(2) + '%';
  const banner =
    cert.status === 'issued'
      ? ''
      : `<p class="stamp">${cert.status === 'stale' ? '证据已变化 EVIDENCE CHANGED' : '已撤销 REVOKED'}: ${esc(cert.statusReason)}</p>`;
  const rules = cert.rules
    .map((r) => `<tr><td>${r.pass ? '✔ 通过 pass' : '✘ 未通过 fail'}</td><td>${esc(r.title)}</td><td>${esc(r.detail)}</td></tr>`)
    .join('');
  const desk = deskSection(cert);
  const targets = cert.targets
    .map(
      (t) =>
        `<tr><td>${esc(t.id)}</td><td><span class="dot" style="background:${STATUS_COLOR[t.status] ?? '#555'}"></span>${esc(STATUS_ZH[t.status] ?? t.status)}</td><td>${t.origin === 'ground' ? '地面发现 ground' : '航拍 scan'}${t.missedByScan ? ' · 漏检 missed by scan' : ''}</td><td>${t.scoreMax.toFixed(2)}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>无种植认证 ${esc(cert.zoneName ?? cert.zoneId)} ${esc(cert.seasonId)}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; color: #111; max-width: 180mm; margin: auto; }
h1 { font-size: 20pt; margin: 0 0 4mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; } td, th { border: 1px solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
.meta td:first-child { width: 35mm; color: #444; } .digest { font-family: monospace; font-size: 8.5pt; word-break: break-all; }
.stamp { border: 3px solid #d32f2f; color: #d32f2f; font-weight: bold; padding: 2mm; text-align: center; }
.dot { display: inline-block; width: 3mm; height: 3mm; margin-right: 1.5mm; border: 1px solid #000; }
svg { width: 100%; height: auto; border: 1px solid #ccc; }
</style></head><body>
<h1>无种植认证 Zero-cultivation certificate</h1>
${banner}
<table class="meta">
<tr><td>区划 Zone</td><td>${esc(cert.zoneName ?? '')} (${esc(cert.zoneId)})</td></tr>
<tr><td>调查季 Season</td><td>${esc(cert.seasonId)} · 花期 flowering ${esc((cert.season.flowering_window as { start: string; end: string }).start)} – ${esc((cert.season.flowering_window as { start: string; end: string }).end)}</td></tr>
<tr><td>覆盖 Coverage</td><td>${pct(cert.coverage.share)} of ${(cert.coverage.zoneAreaM2 / 1e6).toFixed(3)} km² · ${cert.coverage.imageCount} images</td></tr>
<tr><td>签发 Signed by</td><td>${esc(cert.signedBy)} · ${esc(cert.issuedAt)}</td></tr>
<tr><td>证书编号 Certificate</td><td>${esc(cert.certId)}</td></tr>
<tr><td>证据摘要 Evidence sha256</td><td class="digest">${esc(cert.evidenceDigest)}</td></tr>
</table>
<h2>地图 Map</h2>
${certificateSvg(cert)}
<p style="font-size:8.5pt">绿色：区划 zone · 红色斜线：未覆盖 coverage gap · 色块：目标及结果 targets by outcome —
${Object.entries(STATUS_ZH)
  .map(([k, v]) => `<span class="dot" style="background:${STATUS_COLOR[k]}"></span>${esc(v)}`)
  .join(' · ')}</p>
<h2>规则 Rules</h2>
<table><tr><th>结果 Result</th><th>规则 Rule</th><th>详情 Detail</th></tr>${rules}</table>
${desk}
<h2>目标 Targets (${cert.targets.length})</h2>
<table><tr><th>编号 Id</th><th>结果 Outcome</th><th>来源 Origin</th><th>最高分 Score</th></tr>${targets}</table>
</body></html>
`;
}
