import { describe, expect, it } from 'vitest';
import { PARSE_IN_WORKER_BYTES, parseFieldExport, parseFieldExportText } from './parse-field-export';

function koboCsv(rows: number): string {
  const out = ['end,verdict,_geolocation_latitude,_geolocation_longitude,_geolocation_precision,meta/instanceID'];
  for (let i = 0; i < rows; i++)
    out.push(
      `2026-04-20T10:00:00+08:00,${i % 7 === 3 ? 'perhaps' : 'nothing'},${25 + (i % 200) * 0.0005},${100 + Math.floor(i / 200) * 0.0005},5,uuid:row-${i}-${'x'.repeat(40)}`,
    );
  return out.join('\n');
}

describe('parseFieldExport (issue 15, finding 6)', () => {
  it('parses a large export in a worker thread, with the event loop free meanwhile, to the same result as inline', async () => {
    const text = koboCsv(12_000);
    expect(Buffer.byteLength(text)).toBeGreaterThan(PARSE_IN_WORKER_BYTES);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const viaWorker = await parseFieldExport(text, 'T1');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    const inline = parseFieldExportText(text, 'T1');
    expect(viaWorker.rows.length).toBe(inline.rows.length);
    expect(viaWorker.rows[5]).toEqual(inline.rows[5]);
    expect(viaWorker.rejected).toEqual(inline.rejected);
    expect(viaWorker.rejected[0]).toMatchObject({ row: 5, message: expect.stringContaining("'perhaps'") });
    expect(viaWorker.mapping).toEqual(inline.mapping);
  }, 60_000);
});
