import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ServerError } from '../errors';

/** A CJK font file and, for a collection (.ttc), the PostScript name of the face to use. */
export interface CjkFont {
  path: string;
  family?: string;
}

/** The npm package whose Noto Sans SC (Google Fonts' OFL build) is embedded when nothing else is asked for. */
export const BUNDLED_FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

/** An error when the font cannot be found; the message says what to do. */
export class CjkFontMissingError extends ServerError {
  override readonly name = 'CjkFontMissingError';
  constructor(detail: string) {
    super(
      'TIANDI_E_PDF_FONT',
      `未找到中文字体，无法生成证书 PDF（${detail}）：请在项目目录运行 npm install，或设置 TIANDI_CJK_FONT No CJK font for the certificate PDF (${detail}): run npm install, or set TIANDI_CJK_FONT`,
    );
  }
}

/** Where the bundled font lies in node_modules, or null when the package is not installed. */
export function bundledFontPath(): string | null {
  try {
    return createRequire(import.meta.url).resolve(BUNDLED_FONT_MODULE);
  } catch {
    return null;
  }
}

/**
 * The CJK font to embed: `TIANDI_CJK_FONT` (a .ttf/.otf, or `file.ttc#PostScriptName`) when set, else
 * Noto Sans SC from npm, so a fresh machine needs no system font package. Throws {@link CjkFontMissingError}.
 */
export function findCjkFont(
  env: NodeJS.ProcessEnv = process.env,
  exists: (p: string) => boolean = fs.existsSync,
  bundled: string | null = bundledFontPath(),
): CjkFont {
  const fromEnv = env.TIANDI_CJK_FONT;
  if (fromEnv) {
    const [p, family] = fromEnv.split('#');
    if (!exists(p)) throw new CjkFontMissingError(`TIANDI_CJK_FONT=${p} does not exist`);
    return family ? { path: p, family } : { path: p };
  }
  if (!bundled || !exists(bundled)) throw new CjkFontMissingError(`${BUNDLED_FONT_MODULE} missing`);
  return { path: bundled };
}
