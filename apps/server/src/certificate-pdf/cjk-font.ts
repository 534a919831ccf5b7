import fs from 'node:fs';

/** A CJK font file and, for a collection (.ttc), the PostScript name of the face to use. */
export interface CjkFont {
  path: string;
  family?: string;
}

/**
 * Where CJK fonts are looked for, in order: `TIANDI_CJK_FONT` (a .ttf/.otf, or `file.ttc#PostScriptName`),
 * Debian's fonts-noto-cjk (installed by .ci/run), then other common Debian/Ubuntu CJK fonts.
 */
export const CJK_FONT_CANDIDATES: readonly CjkFont[] = Object.freeze([
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', family: 'AR-PL-UMing-CN' },
]);

/** An error when no CJK font can be found; the message says what to install. */
export class CjkFontMissingError extends Error {
  readonly code = 'TIANDI_E_PDF_FONT';
  readonly status = 503;
  constructor() {
    super('未找到中文字体，无法生成证书 PDF：请安装 fonts-noto-cjk（apt-get install fonts-noto-cjk）或设置 TIANDI_CJK_FONT No CJK font for the certificate PDF: install fonts-noto-cjk or set TIANDI_CJK_FONT');
  }
}

/** Finds the CJK font to embed, or throws {@link CjkFontMissingError}. */
export function findCjkFont(env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = fs.existsSync): CjkFont {
  const fromEnv = env.TIANDI_CJK_FONT;
  if (fromEnv) {
    const [p, family] = fromEnv.split('#');
    if (exists(p)) return family ? { path: p, family } : { path: p };
  }
  const found = CJK_FONT_CANDIDATES.find((c) => exists(c.path));
  if (!found) throw new CjkFontMissingError();
  return found;
}
