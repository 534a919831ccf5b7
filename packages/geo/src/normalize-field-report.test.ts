import { describe, expect, it } from 'vitest';
import { normalizeFieldAppReports, splitCsvRows } from './normalize-field-report';

describe('normalizeFieldAppReports', () => {
  it('reads a KoboToolbox/ODK CSV export (group prefixes, geopoint columns, uuid:)', () => {
    const csv = [
      'start;end;group_a/verdict;group_a/plants;_geolocation_latitude;_geolocation_longitude;_geolocation_precision;meta/instanceID;_uuid;photo',
      '2026-04-20T09:00:00+08:00;2026-04-20T09:12:00+08:00;poppy;120;25.0085;100.005;4.5;uuid:abc-1;abc-1;IMG_1.jpg',
      '2026-04-20T10:00:00+08:00;2026-04-20T10:05:00+08:00;maybe;;25.0;100.0;3;uuid:abc-2;abc-2;',
    ].join('\n');
    const r = normalizeFieldAppReports(csv, { defaultTeam: 'T1' });
    expect(r.rejected).toEqual([{ row: 3, message: expect.stringContaining("verdict 'maybe' not recognised") }]);
    expect(r.features).toHaveLength(1);
    expect(r.features[0]).toEqual({
      row: 2,
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [100.005, 25.0085] },
      properties: {
        report_id: 'abc-1',
        target_id: null,
        verdict: 'confirmed_poppy',
        what: null,
        accuracy_m: 4.5,
        observed_at: '2026-04-20T09:12:00+08:00',
        team: 'T1',
        plant_count: 120,
        area_m2: null,
        photos: [],
        notes: '照片未随文件导入 photos not imported: IMG_1.jpg',
      },
    });
    expect(r.mapping['meta/instanceID']).toBe('report_id');
    expect(r.mapping['end']).toBe('observed_at');
  });

  it('reads an ODK geopoint ("lat lon alt accuracy") and Chinese headers and verdicts', () => {
    const csv = '编号,结论,位置,时间,株数,面积,备注,实际作物\n"r-9",不是罂粟,"25.001 100.002 1800 6.0",2026/04/21 08:30,,35,"坡地, 东侧",油菜\n';
    const r = normalizeFieldAppReports(csv);
    expect(r.rejected).toEqual([]);
    expect(r.features[0].geometry.coordinates).toEqual([100.002, 25.001]);
    expect(r.features[0].properties).toMatchObject({
      report_id: 'r-9',
      verdict: 'not_poppy',
      what: '油菜',
      accuracy_m: 6,
      observed_at: '2026-04-21T08:30',
      area_m2: 35,
      notes: '坡地, 东侧',
    });
  });

  it('reads a Survey123/QField GeoJSON export (epoch-ms dates, globalid, point geometry)', () => {
    const gj = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [100.003, 25.004] },
          properties: { globalid: '{G-1}', result: 'Nothing', CreationDate: Date.UTC(2026, 3, 22, 2, 0), target: 'T-7', accuracy: 3 },
        },
        { type: 'Feature', geometry: null, properties: { globalid: '{G-2}', result: 'eradicated', CreationDate: Date.UTC(2026, 3, 22, 3, 0) } },
      ],
    });
    const r = normalizeFieldAppReports(gj);
    expect(r.features[0].properties).toMatchObject({
      report_id: '{G-1}',
      verdict: 'nothing_found',
      target_id: 'T-7',
      observed_at: '2026-04-22T02:00:00.000Z',
      accuracy_m: 3,
    });
    expect(r.rejected).toEqual([{ row: 2, message: expect.stringContaining('no position') }]);
  });

  it('rejects an epoch-ms date beyond any calendar instead of throwing (fuzz finding: RangeError: Invalid time value)', () => {
    // biome-ignore lint/correctness/noPrecisionLoss: the fuzzer's input, past any date, is the point
    const pastAnyDate = 17742949672966823200000;
    const gj = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [100.003, 25.004] },
          attributes: { globalid: '{G-1}', result: 'Nothing', CreationDate: pastAnyDate },
        },
      ],
    });
    const r = normalizeFieldAppReports(gj);
    expect(r.features).toEqual([]);
    expect(r.rejected).toEqual([{ row: 1, message: expect.stringContaining('observed_at missing or not a date') }]);
    expect(normalizeFieldAppReports('_uuid,result,lat,lon,end\nu1,poppy,25,100,99999999999999999999\n').rejected).toEqual([
      { row: 2, message: expect.stringContaining('not a date') },
    ]);
  });

  it('splits CSV with quotes, doubled quotes and CRLF', () => {
    expect(splitCsvRows('a,b\r\n"x, ""y""",2\r\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '2'],
    ]);
  });
});
