import { describe, expect, it } from 'vitest';
import { setLang } from '../i18n/index';
import { describeUpload, uploadRate } from './upload-panel';

describe('uploadRate', () => {
  it('measures speed and time left from the first sample of the attempt (resumed bytes do not count)', () => {
    expect(uploadRate({ t: 0, bytes: 500 }, { t: 500, bytes: 900 }, 10_000)).toBeNull();
    expect(uploadRate({ t: 0, bytes: 1_000_000 }, { t: 2000, bytes: 5_000_000 }, 13_000_000)).toEqual({ bytesPerS: 2_000_000, etaS: 4 });
  });
});

describe('describeUpload', () => {
  it('gives a refusal in English only in the English UI, and keeps the whole line in Chinese', () => {
    const refused = { phase: 'rejected' as const, fraction: 1, bytesSent: 10, bytesTotal: 10, error: 'broken.tif: 文件头损坏 corrupt TIFF header: bad magic; export it again (gdal_translate in.tif out.tif)' };
    setLang('en');
    expect(describeUpload(refused)).toBe('Rejected: broken.tif: corrupt TIFF header: bad magic; export it again (gdal_translate in.tif out.tif)');
    setLang('zh-CN');
    expect(describeUpload(refused)).toContain('文件头损坏 corrupt TIFF header');
  });
});
