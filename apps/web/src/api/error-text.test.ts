import { describe, expect, it } from 'vitest';
import { setLang } from '../i18n/index';
import { ApiError } from './api';
import { errorText, pickLanguage, uploadRefusalText } from './error-text';

describe('errorText', () => {
  it('words a coded refusal in the UI language with the server params, never both languages', () => {
    const refused = new ApiError(403, 'TIANDI_E_AUTH_ROLE', "您的角色（field）无权执行此操作 Role 'field' may not do this; allowed: admin", undefined, {
      role: 'field',
      allowed: 'admin',
    });
    setLang('en');
    expect(errorText(refused)).toBe('Your role (field) may not do this.');
    expect(errorText(new ApiError(401, 'TIANDI_E_AUTH_BAD_CREDENTIALS', '账号或密码错误 Wrong account name or password'))).toBe(
      'Wrong account name or password.',
    );
    setLang('zh-CN');
    expect(errorText(refused)).toBe('您的角色（field）无权执行此操作。');
    // The field view's answers come through the same client.
    expect(errorText(new ApiError(401, 'TIANDI_E_AUTH_REQUIRED', 'x'))).toBe('未登录或会话已过期，请重新登录。');
    expect(errorText(new ApiError(0, 'TIANDI_E_OFFLINE', 'Failed to fetch'))).toBe('没有网络连接，请联网后重试。');
  });

  it('picks one language out of an uncoded bilingual server message', () => {
    expect(pickLanguage('未找到 Not found: GET /api/x', 'zh-CN')).toBe('未找到');
    expect(pickLanguage('未找到 Not found: GET /api/x', 'en')).toBe('Not found: GET /api/x');
    expect(pickLanguage('区域 V9 不存在。 Zone V9 does not exist.', 'en')).toBe('Zone V9 does not exist.');
    expect(pickLanguage('花期影像覆盖 flowering-season imagery coverage', 'en')).toBe('flowering-season imagery coverage'); // a rule title
    expect(pickLanguage('花期影像覆盖 flowering-season imagery coverage', 'zh-CN')).toBe('花期影像覆盖');
    expect(pickLanguage('只有中文', 'en')).toBe('只有中文');
    expect(pickLanguage('English only', 'zh-CN')).toBe('English only');
    expect(errorText(new Error('读取失败 read failed'), 'en')).toBe('read failed');
  });
});

describe('uploadRefusalText', () => {
  it('words imagery too coarse for the model with the file, its GSD and the limit the server sent', () => {
    const params = { file: 'dutch-25cm.tif', cause: 'TIANDI_E_GSD_TOO_COARSE', gsd_m: 0.25, limit_m: 0.125 };
    setLang('en');
    expect(uploadRefusalText('TIANDI_E_UPLOAD_REJECTED', params)).toBe(
      'dutch-25cm.tif: the imagery (0.25 m a pixel) is coarser than the model can judge (at most 0.125 m): fly lower and upload it again, or use a model made for this resolution.',
    );
    setLang('zh-CN');
    expect(uploadRefusalText('TIANDI_E_UPLOAD_REJECTED', params)).toBe(
      'dutch-25cm.tif: 影像分辨率 0.25 米/像素过粗，模型无法判断（最粗 0.125 米）：请降低航高重新拍摄后上传，或使用适合该分辨率的模型。',
    );
    // Not an upload refusal, or a cause the app does not know: the caller shows the server's line.
    expect(uploadRefusalText('TIANDI_E_AUTH_ROLE', params)).toBeNull();
    expect(uploadRefusalText('TIANDI_E_UPLOAD_REJECTED', { ...params, cause: 'TIANDI_E_SOMETHING_NEW' })).toBeNull();
  });
});
