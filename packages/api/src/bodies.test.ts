import { describe, expect, it } from 'vitest';
import { LoginBody, NewUserBody, ReportBody, ROLES, TriageNextBody, ZoneImportBody } from './index';

describe('the request bodies of the API contract', () => {
  it('reject unknown keys, naming them, as every body at the boundary does', () => {
    const r = LoginBody.safeParse({ name: 'li', password: 'secret-pw', remember: true });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['remember'] });
  });

  it('write their defaults into the parsed value', () => {
    expect(TriageNextBody.parse({ zone: 'V01' })).toEqual({ zone: 'V01', count: 24, exclude: [] });
    expect(ZoneImportBody.parse({ files: [{ name: 'villages.shp', base64: 'AA==' }] }).preview).toBe(false);
  });

  it('take only plain file names for boundary files (no folder, no leading dot)', () => {
    for (const name of ['../etc/passwd', 'a/b.shp', 'a\\b.shp', '.hidden.shp', 'x\0.shp']) {
      expect(ZoneImportBody.safeParse({ files: [{ name, base64: 'AA==' }] }).success, name).toBe(false);
    }
    expect(ZoneImportBody.safeParse({ files: [{ name: '村界 2026.shp', base64: 'AA==' }] }).success).toBe(true);
  });

  it('take the roles declared once, and a report only as a GeoJSON Point feature', () => {
    expect(ROLES).toEqual(['operator', 'planner', 'field', 'manager', 'admin']);
    expect(NewUserBody.safeParse({ name: 'zhao', role: 'superuser', password: '12345678' }).success).toBe(false);
    expect(ReportBody.safeParse({ type: 'Feature', geometry: { type: 'Point', coordinates: [100.1, 25.2] }, properties: { report_id: 'r1' } }).success).toBe(
      true,
    );
    expect(ReportBody.safeParse({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: {} }).success).toBe(false);
  });
});
