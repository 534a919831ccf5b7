import { describe, expect, it } from 'vitest';
import { setLang } from '../i18n/index';
import type { UploadState } from '../upload/upload-file';
import { describeUpload, progressFraction, uploadRate } from './upload-panel';

describe('uploadRate', () => {
  it('measures speed and time left from the first sample of the attempt (resumed bytes do not count)', () => {
    expect(uploadRate({ t: 0, bytes: 500 }, { t: 500, bytes: 900 }, 10_000)).toBeNull();
    expect(uploadRate({ t: 0, bytes: 1_000_000 }, { t: 2000, bytes: 5_000_000 }, 13_000_000)).toEqual({ bytesPerS: 2_000_000, etaS: 4 });
  });
});

describe('describeUpload', () => {
  it('gives a refusal in English only in the English UI, and keeps the whole line in Chinese', () => {
    const refused = {
      phase: 'rejected' as const,
      fraction: 1,
      bytesSent: 10,
      bytesTotal: 10,
      error: 'broken.tif: 文件头损坏 corrupt TIFF header: bad magic; export it again (gdal_translate in.tif out.tif)',
    };
    setLang('en');
    expect(describeUpload(refused)).toBe('Rejected: broken.tif: corrupt TIFF header: bad magic; export it again (gdal_translate in.tif out.tif)');
    setLang('zh-CN');
    expect(describeUpload(refused)).toContain('文件头损坏 corrupt TIFF header');
  });
  it('words a coded refusal from its tiles cause in the UI language only, file name kept', () => {
    const noGeoref = {
      phase: 'rejected' as const,
      fraction: 0,
      bytesSent: 0,
      bytesTotal: 10,
      code: 'TIANDI_E_UPLOAD_REJECTED',
      params: { file: 'flight 3.tif', cause: 'TIANDI_E_NO_GEOREF' },
      error:
        'flight 3.tif: 缺少地理参考 no georeferencing (no tie point or transformation); 请从制图软件导出带地理参考的 GeoTIFF export a georeferenced GeoTIFF.',
    };
    setLang('en');
    expect(describeUpload(noGeoref)).toBe(
      'Rejected: flight 3.tif: no georeferencing: export a georeferenced GeoTIFF, or add it with gdal_translate -a_srs EPSG:<code> -a_ullr <ulx> <uly> <lrx> <lry> in.tif out.tif.',
    );
    setLang('zh-CN');
    const zh = describeUpload(noGeoref);
    expect(zh).toMatch(/^被拒绝：flight 3\.tif: 缺少地理参考：请导出带地理参考的 GeoTIFF/);
    expect(zh).not.toMatch(/georeferencing/);
    // Other coded refusals (a checksum mismatch) are worded too; an unknown cause falls back to the server's line.
    setLang('en');
    expect(describeUpload({ ...noGeoref, code: 'TIANDI_E_CHECKSUM_MISMATCH', params: undefined, error: '校验和不符 checksum mismatch' })).toBe(
      'Rejected: Checksum mismatch: the file was damaged in transit, upload it again.',
    );
    expect(describeUpload({ ...noGeoref, params: { file: 'a.tif', cause: 'TIANDI_E_SOMETHING_NEW' }, error: 'a.tif: 新原因 a new reason' })).toBe(
      'Rejected: a.tif: a new reason',
    );
    setLang('zh-CN');
  });
});

describe('progressFraction', () => {
  it('gives hashing the first tenth of the bar and sending the other nine tenths; later phases a full bar', () => {
    const at = (phase: UploadState['phase'], fraction: number) => progressFraction({ phase, fraction, bytesSent: 0, bytesTotal: 100 });
    expect(at('hashing', 0.5)).toBeCloseTo(0.05);
    expect(at('uploading', 0)).toBeCloseTo(0.1);
    expect(at('uploading', 0.5)).toBeCloseTo(0.55);
    expect(at('verifying', 0)).toBe(1);
    expect(at('queued', 1)).toBe(1);
  });
});
