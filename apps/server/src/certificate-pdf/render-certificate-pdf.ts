import PDFDocument from 'pdfkit';
import type { Geometry } from 'geojson';
import type { CertificatePdfInput } from './certificate-pdf-input';
import { findCjkFont, type CjkFont } from './cjk-font';
import { fitProjection, polygonRings, type PageBox } from './map-projection';

/** Fill colours of targets on the certificate map, by lifecycle status. */
export const TARGET_COLOURS: Readonly<Record<string, string>> = Object.freeze({
  detected: '#1f6feb',
  planned: '#1f6feb',
  confirmed: '#d1242f',
  eradicated: '#fb8500',
  eradication_verified: '#1a7f37',
  inspected_negative: '#8c959f',
  dismissed_desk: '#c8cdd2',
  dismissed_model: '#d8dde2',
  inaccessible: '#8250df',
  needs_revisit: '#8250df',
  missed_by_scan: '#bf3989',
});

const STATUS_LABELS: Record<string, string> = {
  detected: '已检出 detected',
  planned: '已规划 planned',
  confirmed: '已确认 confirmed',
  eradicated: '已铲除 eradicated',
  eradication_verified: '铲除已复核 verified',
  inspected_negative: '实地排除 negative (ground)',
  dismissed_desk: '案头排除 dismissed at desk',
  dismissed_model: '模型排除 dismissed by model',
  needs_revisit: '需复查 revisit',
  missed_by_scan: '漏检 missed by scan',
};

/**
 * Renders a certificate as an A4 PDF: title, zone and season, the zone map (outline, coverage
 * gaps, targets by status), key figures, the rule table and the evidence digest. Chinese text is
 * set in an embedded CJK font, subset to the glyphs used (pdfkit embeds only those), so the file
 * stays small and any PDF reader shows it.
 *
 * @example
 * const pdf = await renderCertificatePdf(input); // Buffer starting with %PDF
 */
export async function renderCertificatePdf(input: CertificatePdfInput, options: { font?: CjkFont; signal?: AbortSignal } = {}): Promise<Buffer> {
  const { doc, done } = openDocument(input, options.font ?? findCjkFont());
  const innerW = doc.page.width - 2 * M;
  let y = drawTitle(doc, innerW, M);
  y = drawHeader(doc, input, innerW, y);
  y += 6;
  const mapBox: PageBox = { x: M, y, width: innerW * 0.68, height: 250 };
  drawMap(doc, input, mapBox);
  drawLegend(doc, input, { x: mapBox.x + mapBox.width + 10, y, width: innerW - mapBox.width - 10, height: mapBox.height });
  y += mapBox.height + 14;
  y = drawFigures(doc, input, innerW, y);
  y = drawRules(doc, input, innerW, y);
  drawDigest(doc, input, innerW, y + 8);
  if (input.state && input.state.status !== 'valid') stampEveryPage(doc, stateLabel(input.state.status));
  options.signal?.throwIfAborted();
  doc.end();
  return done;
}

/** Page margin (pt). */
const M = 40;

/** An A4 document with the certificate's metadata and the CJK font set; `done` resolves to the finished bytes. */
function openDocument(input: CertificatePdfInput, font: CjkFont): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margin: M,
    bufferPages: true,
    info: {
      Title: `${input.zone.name} ${input.season.name} 零种植证书 Zero-cultivation certificate`,
      Author: input.signedBy,
      Subject: `sha256 ${input.evidenceDigest}`,
      Creator: 'Tiandi 天地协同',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk');
  return { doc, done };
}

/** Starts a new page when fewer than `room` points are left below `y`; returns where to write. */
function roomFor(doc: PDFKit.PDFDocument, y: number, room: number): number {
  if (y <= doc.page.height - room) return y;
  doc.addPage();
  doc.font('cjk');
  return M;
}

function drawTitle(doc: PDFKit.PDFDocument, innerW: number, y: number): number {
  doc.fontSize(20).fillColor('#111').text('禁种铲毒零种植证书', M, y, { width: innerW, align: 'center' });
  y = doc.y + 2;
  doc.fontSize(11).fillColor('#444').text('Zero-cultivation certificate (illicit opium poppy)', M, y, { width: innerW, align: 'center' });
  return doc.y + 10;
}

/** Zone (with its parents), season, certificate id, issue, and the status when not valid: label and value rows. */
function drawHeader(doc: PDFKit.PDFDocument, input: CertificatePdfInput, innerW: number, y: number): number {
  const path = [...(input.zone.parentNames ?? []), input.zone.name].join(' › ');
  const header: [string, string][] = [
    ['区域 Zone', `${path}（${levelLabel(input.zone.level)}，${input.zone.id}）`],
    ['季度 Season', `${input.season.name}${input.season.windowStart ? `（花期 flowering ${input.season.windowStart} – ${input.season.windowEnd}）` : ''}`],
    ['证书编号 Certificate', input.certificateId],
    ['签发 Issued', `${input.issuedAt}  签发人 signed by ${input.signedBy}`],
  ];
  if (input.state && input.state.status !== 'valid') {
    header.push(['状态 Status', `${stateLabel(input.state.status)}${input.state.reason ? `：${input.state.reason}` : ''}`]);
  }
  doc.fontSize(10);
  for (const [k, v] of header) {
    doc.fillColor('#555').text(k, M, y, { width: 110 });
    doc.fillColor('#111').text(v, M + 115, y, { width: innerW - 115 });
    y = Math.max(doc.y, y + 14) + 2;
  }
  return y;
}

/** The key figures in two columns. */
function drawFigures(doc: PDFKit.PDFDocument, input: CertificatePdfInput, innerW: number, y: number): number {
  doc.fontSize(12).fillColor('#111').text('主要数据 Figures', M, y);
  y = doc.y + 4;
  doc.fontSize(9.5);
  const colW = innerW / 2;
  input.figures.forEach((f, i) => {
    const x = M + (i % 2) * colW;
    const rowY = y + Math.floor(i / 2) * 16;
    doc.fillColor('#555').text(f.label, x, rowY, { width: colW * 0.62, lineBreak: false, ellipsis: true });
    doc.fillColor('#111').text(f.value, x + colW * 0.62, rowY, { width: colW * 0.36, lineBreak: false });
  });
  return y + Math.ceil(input.figures.length / 2) * 16 + 10;
}

/** The rule table (rule, pass or fail with the failing count, measured), continued on new pages as needed. */
function drawRules(doc: PDFKit.PDFDocument, input: CertificatePdfInput, innerW: number, y: number): number {
  doc.fontSize(12).fillColor('#111').text('认证规则 Certification rules', M, y);
  y = doc.y + 4;
  const cols = [innerW * 0.5, innerW * 0.14, innerW * 0.36];
  doc.fontSize(9).fillColor('#555');
  ['规则 Rule', '结果 Result', '实测 Measured'].forEach((h, i) => doc.text(h, M + cols.slice(0, i).reduce((a, b) => a + b, 0), y, { width: cols[i] - 6 }));
  y = doc.y + 3;
  doc
    .moveTo(M, y)
    .lineTo(M + innerW, y)
    .lineWidth(0.5)
    .strokeColor('#999')
    .stroke();
  y += 4;
  for (const rule of input.rules) {
    const startY = roomFor(doc, y, 120);
    doc
      .fontSize(9)
      .fillColor('#111')
      .text(rule.label, M, startY, { width: cols[0] - 6 });
    let end = doc.y;
    doc
      .fillColor(rule.pass ? '#1a7f37' : '#d1242f')
      .text(rule.pass ? '通过 pass' : `未通过 FAIL${rule.failingCount ? ` (${rule.failingCount})` : ''}`, M + cols[0], startY, { width: cols[1] - 6 });
    end = Math.max(end, doc.y);
    doc.fillColor('#111').text(rule.detail, M + cols[0] + cols[1], startY, { width: cols[2] - 6 });
    y = Math.max(end, doc.y) + 4;
  }
  return y;
}

/** The evidence digest and what it covers. */
function drawDigest(doc: PDFKit.PDFDocument, input: CertificatePdfInput, innerW: number, y: number): void {
  y = roomFor(doc, y, 110);
  doc.fontSize(10).fillColor('#111').text('证据摘要 Evidence digest (sha256)', M, y);
  y = doc.y + 2;
  doc.fontSize(8.5).fillColor('#111').text(input.evidenceDigest, M, y, { width: innerW, lineBreak: false });
  y = doc.y + 6;
  doc
    .fontSize(8)
    .fillColor('#555')
    .text(
      '此摘要覆盖本证书所依据的全部影像、目标、外业报告与规则参数；任何证据变更都会使证书失效。 The digest covers every image, target, ground report and policy parameter this certificate rests on; any change to that evidence makes the certificate stale.',
      M,
      y,
      { width: innerW },
    );
}

/** A revoked or stale certificate says so across every page. */
function stampEveryPage(doc: PDFKit.PDFDocument, label: string): void {
  const W = doc.page.width;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc
      .save()
      .rotate(-30, { origin: [W / 2, doc.page.height / 2] })
      .fontSize(48)
      .fillColor('#d1242f')
      .opacity(0.35);
    doc.text(label, 0, doc.page.height / 2 - 30, { width: W, align: 'center' });
    doc.restore();
  }
}

function stateLabel(status: 'valid' | 'revoked' | 'stale'): string {
  return status === 'revoked' ? '已撤销 REVOKED' : status === 'stale' ? '已失效 STALE' : '有效 valid';
}

function levelLabel(level: string): string {
  return ({ county: '县 county', township: '乡镇 township', village: '村 village' } as Record<string, string>)[level] ?? level;
}

function drawMap(doc: PDFKit.PDFDocument, input: CertificatePdfInput, box: PageBox): void {
  doc.save();
  doc.rect(box.x, box.y, box.width, box.height).fillColor('#f6f8fa').fill();
  doc.rect(box.x, box.y, box.width, box.height).clip();
  const project = fitProjection([input.zone.geometry], box, 10);
  const trace = (g: Geometry) => {
    for (const ring of polygonRings(g)) {
      ring.forEach((p, i) => {
        const [x, yy] = project(p);
        if (i === 0) doc.moveTo(x, yy);
        else doc.lineTo(x, yy);
      });
      doc.closePath();
    }
  };
  trace(input.zone.geometry);
  doc.fillColor('#dafbe1').fill('even-odd');
  for (const gap of input.gaps ?? []) {
    trace(gap);
    doc.fillColor('#ffb3b3').fill('even-odd');
  }
  for (const t of input.targets ?? []) {
    const colour = TARGET_COLOURS[t.status] ?? '#57606a';
    if (t.geometry.type === 'Point') {
      const [x, yy] = project(t.geometry.coordinates);
      doc.circle(x, yy, 3).fillColor(colour).fill();
    } else {
      trace(t.geometry);
      doc.lineWidth(0.8).fillColor(colour).strokeColor(colour).fillAndStroke('even-odd');
    }
  }
  trace(input.zone.geometry);
  doc.lineWidth(1.5).strokeColor('#24292f').stroke();
  doc.restore();
  doc.rect(box.x, box.y, box.width, box.height).lineWidth(0.5).strokeColor('#999').stroke();
}

function drawLegend(doc: PDFKit.PDFDocument, input: CertificatePdfInput, box: PageBox): void {
  let y = box.y + 2;
  const item = (colour: string, label: string) => {
    doc
      .rect(box.x, y + 1, 10, 8)
      .fillColor(colour)
      .fill();
    doc
      .fontSize(8)
      .fillColor('#111')
      .text(label, box.x + 14, y, { width: box.width - 14 });
    y = doc.y + 3;
  };
  doc.fontSize(9).fillColor('#111').text('图例 Legend', box.x, y);
  y = doc.y + 4;
  item('#dafbe1', '有效影像覆盖 covered');
  item('#ffb3b3', '覆盖缺口 coverage gap');
  const statuses = [...new Set((input.targets ?? []).map((t) => t.status))].sort();
  for (const s of statuses) {
    const n = (input.targets ?? []).filter((t) => t.status === s).length;
    item(TARGET_COLOURS[s] ?? '#57606a', `${STATUS_LABELS[s] ?? s} × ${n}`);
  }
}
