/**
 * Typed errors of @tiandi/store with stable codes; docs/errors/store.md lists every code and a test keeps
 * the two in sync. Messages: Chinese first, English beside it, saying what is wrong and what to do.
 */
export const STORE_ERROR_CODES = {
  TIANDI_E_WORKSPACE_MISSING: '工作区不存在 workspace file not found',
  TIANDI_E_WORKSPACE_EXISTS: '工作区已存在 workspace file already exists',
  TIANDI_E_NOT_WORKSPACE: '不是 Tiandi 工作区 not a Tiandi workspace',
  TIANDI_E_WORKSPACE_NEWER: '工作区版本比本程序新 workspace schema is newer than this program',
  TIANDI_E_INPUT: '输入文件无效 invalid input file',
  TIANDI_E_NOT_FOUND: '找不到对象 no such zone, season, target or certificate',
  TIANDI_E_SCAN_DIR: '扫描结果目录无效 invalid scan result folder',
  TIANDI_E_CONFLICT: '与已存数据冲突 conflicts with stored data',
} as const;

export type StoreErrorCode = keyof typeof STORE_ERROR_CODES;

/** An error from the workspace with a stable `code`, the file it is about and, where known, the field or row. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly path?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
