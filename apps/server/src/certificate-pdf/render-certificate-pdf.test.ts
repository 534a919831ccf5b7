import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_CERTIFICATE as SAMPLE } from './sample-certificate';
import { BUNDLED_FONT_MODULE, CjkFontMissingError, bundledFontPath, findCjkFont } from './cjk-font';
import { renderCertificatePdf } from './render-certificate-pdf';

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
if (!hasPoppler) console.warn('NOTICE: pdftotext (poppler-utils) not found — reading certificate PDFs back is skipped (.ci/run installs it).');

const DIGEST = SAMPLE.evidenceDigest;

describe('renderCertificatePdf with the font from npm (no system font)', () => {
  it('embeds a subset of Noto Sans SC from node_modules and stays small', async () => {
    const pdf = await renderCertificatePdf(SAMPLE, { font: findCjkFont({}) });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/); // a subset tag: only the glyphs used
    expect(raw).toMatch(/\/FontFile2 \d+ 0 R/); // the glyphs themselves are in the file
    expect(pdf.length).toBeLessThan(200_000); // the subset, not the 10 MB font
  });
});

describe.skipIf(!hasPoppler)('renderCertificatePdf read back by poppler', () => {
  it('writes a one-page A4 PDF whose text holds the Chinese village name, the rules and the digest', async () => {
    const pdf = await renderCertificatePdf(SAMPLE);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-cert-'));
    const file = path.join(dir, 'c.pdf');
    fs.writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('禁种铲毒零种植证书');
    expect(text).toContain('阿都村');
    expect(text).toContain('昭觉县 › 宜洛乡 › 阿都村');
    expect(text).toContain(DIGEST);
    expect(text).toContain('花期影像覆盖');
    expect(text.match(/通过 pass/g)).toHaveLength(4);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/[A-Z]{6}\+NotoSansSC-Regular.*yes\s+yes/); // embedded and subset
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('marks a revoked certificate across the page and shows failing rules', async () => {
    const input = {
      ...SAMPLE,
      state: { status: 'revoked' as const, reason: '新报告 new report r-9' },
      rules: [{ ...SAMPLE.rules[0], pass: false, detail: '91.0 % < 98 %', failingCount: 3 }],
    };
    const text = await pdfText(await renderCertificatePdf(input));
    expect(text).toContain('已撤销 REVOKED：新报告 new report r-9');
    expect(text).toContain('未通过 FAIL (3)');
  });

  it('flows a long rule table onto a second page', async () => {
    const rules = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, label: `规则 ${i} Rule ${i}`, pass: i % 2 === 0, detail: `${i}` }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiandi-cert-'));
    const file = path.join(dir, 'c.pdf');
    fs.writeFileSync(file, await renderCertificatePdf({ ...SAMPLE, rules }));
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+2\n/);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain(DIGEST);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('findCjkFont', () => {
  it('prefers TIANDI_CJK_FONT, else the npm package, and says what to do when neither is there', () => {
    expect(findCjkFont({ TIANDI_CJK_FONT: '/x/a.ttc#Face' }, (p) => p === '/x/a.ttc')).toEqual({ path: '/x/a.ttc', family: 'Face' });
    expect(findCjkFont({}).path).toBe(bundledFontPath());
    expect(bundledFontPath()).toMatch(/node_modules\/@expo-google-fonts\/noto-sans-sc\/.*\.ttf$/);
    expect(() => findCjkFont({ TIANDI_CJK_FONT: '/x/none.ttf' }, () => false)).toThrow(/TIANDI_CJK_FONT=\/x\/none\.ttf/);
    expect(() => findCjkFont({}, () => false, null)).toThrow(CjkFontMissingError);
    expect(() => findCjkFont({}, () => false, null)).toThrow(new RegExp(`${BUNDLED_FONT_MODULE}.*npm install`));
  });
});

async function pdfText(pdf: Buffer): Promise<string> {
  return execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
}
