/** One CSV record: its cells and the line it starts on (1-based). */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/** What {@link readCsvRecords} found: every record, or the first syntax error and no records at all. */
export type CsvRead = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

/**
 * Splits CSV text into records (RFC 4180: fields quoted with `"`, `""` inside quotes, newlines inside
 * quotes). Strict where a lenient reader silently loses rows: a quote left open to the end of the file
 * (it would swallow every row after it into one cell) and text after a closing quote are errors naming
 * the line. A `"` inside an unquoted cell (`5" tall`) is kept as a character, as spreadsheets do.
 * Empty lines are kept as records of one empty cell so record numbers stay put.
 *
 * @example
 * readCsvRecords('a,b\n"x, ""y""",2\n'); // { ok: true, records: [{ cells: ['a','b'], line: 1 }, { cells: ['x, "y"','2'], line: 2 }] }
 * readCsvRecords('a,b\n"x,2\n3,4\n');    // { ok: false, line: 2, message: '引号未闭合 …' }
 */
export function readCsvRecords(text: string, separator = ','): CsvRead {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  let quoted = false;
  let atCellStart = true;
  let afterQuote = false;
  const endCell = () => {
    cells.push(cell);
    cell = '';
    atCellStart = true;
    afterQuote = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') (quoted = false), (afterQuote = true);
      else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        cell += c;
      }
      continue;
    }
    if (c === separator) endCell();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endCell();
      records.push({ cells, line: recordLine });
      cells = [];
      line++;
      recordLine = line;
    } else if (afterQuote) {
      return {
        ok: false,
        line,
        message: `第 ${line} 行 line ${line}: 引号后有多余字符 text after a closing quote ('"${c}…'): a quote inside a quoted field must be doubled ("")`,
      };
    } else if (c === '"' && atCellStart) (quoted = true), (quoteLine = line), (atCellStart = false);
    else (cell += c), (atCellStart = false);
  }
  if (quoted) {
    return {
      ok: false,
      line: quoteLine,
      message: `第 ${quoteLine} 行 line ${quoteLine}: 引号未闭合 unclosed quote: the quoted field opened here runs to the end of the file and would swallow the rows after it; close it, or double a quote meant as text ("")`,
    };
  }
  if (cell !== '' || cells.length || afterQuote) {
    endCell();
    records.push({ cells, line: recordLine });
  }
  return { ok: true, records };
}
