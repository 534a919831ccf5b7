import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './read-csv-records';
import { normalizeFieldAppReports } from './normalize-field-report';

describe('readCsvRecords', () => {
  it('reads quotes, doubled quotes, newlines in quotes and CRLF, with the line each record starts on', () => {
    expect(readCsvRecords('a,b\r\n"x, ""y""","two\nlines"\r\nc,5" tall\n')).toEqual({
      ok: true,
      records: [
        { cells: ['a', 'b'], line: 1 },
        { cells: ['x, "y"', 'two\nlines'], line: 2 },
        { cells: ['c', '5" tall'], line: 4 },
      ],
    });
  });

  it('refuses an unclosed quote at the line it opens, instead of swallowing rows 4–7 into row 3', () => {
    const csv = ['id,notes', 'r1,ok', 'r2,ok', 'r3,"slope', 'r4,ok', 'r5,ok', 'r6,ok', 'r7,ok'].join('\n');
    expect(readCsvRecords(csv)).toEqual({ ok: false, line: 4, message: expect.stringContaining('unclosed quote') });
  });

  it('refuses text after a closing quote, naming the line', () => {
    expect(readCsvRecords('a,b\n1,"x"y\n')).toEqual({ ok: false, line: 2, message: expect.stringContaining('text after a closing quote') });
  });

  it("makes other apps' CSV exports refuse the whole file too", () => {
    const r = normalizeFieldAppReports(
      '_uuid,result,_geolocation_latitude,_geolocation_longitude,end,remarks\nu1,poppy,25,100,2026-04-20T09:00+08:00,"open\nu2,poppy,25,100,2026-04-20T09:00+08:00,x\n',
    );
    expect(r.features).toEqual([]);
    expect(r.syntaxError).toEqual({ line: 2, message: expect.stringContaining('unclosed quote') });
  });
});
