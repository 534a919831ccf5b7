import { StoreError } from './errors';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

function decode(bytes: Uint8Array, encoding: string, skip = 0): string | null {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(skip));
  } catch {
    return null;
  }
}

/**
 * The text of a reports file, whatever encoding a spreadsheet saved it in: UTF-8 (with or without BOM),
 * UTF-16 with BOM (Excel's "Unicode text"), or GBK/GB18030 (Excel and WPS on Chinese Windows). Bytes that are
 * valid UTF-8 are read as UTF-8; otherwise they are read as GB18030 (a superset of GBK and GB2312) when that
 * decodes without error and gives Chinese text. Anything else is refused with a hint, never stored as U+FFFD.
 * @throws StoreError TIANDI_E_INPUT naming the file.
 */
export function decodeReportsText(bytes: Uint8Array, file: string): string {
  let text: string | null;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) text = decode(bytes, 'utf-8', 3);
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) text = decode(bytes, 'utf-16le', 2);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = decode(bytes, 'utf-16be', 2);
  else {
    text = decode(bytes, 'utf-8');
    if (text === null) {
      const gb = decode(bytes, 'gb18030');
      text = gb !== null && CJK.test(gb) ? gb : null;
    }
  }
  if (text === null) {
    throw new StoreError(
      'TIANDI_E_INPUT',
      '文件编码无法识别 text encoding not recognised (neither UTF-8 nor GBK/GB18030): save it as "CSV UTF-8" in Excel or WPS, or convert it: iconv -f <encoding> -t UTF-8 in.csv > out.csv',
      file,
    );
  }
  if (text.includes('\0'))
    throw new StoreError('TIANDI_E_INPUT', '不是文本文件 not a text file (contains NUL bytes): export the reports as CSV or GeoJSON', file);
  return text;
}
