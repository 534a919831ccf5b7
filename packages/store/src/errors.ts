/**
 * Typed errors of @tiandi/store with stable codes; docs/errors/store.md lists every code and a test keeps
 * the two in sync. Messages: Chinese first, English beside it, saying what is wrong and what to do.
 */
import { defineErrorCodes, SHARED_ERROR_CODES, statusOf, TiandiError, type SharedErrorCode } from '@tiandi/geo';

export const STORE_ERROR_CODES = defineErrorCodes({
  TIANDI_E_WORKSPACE_MISSING: { status: 404, summary: '工作区不存在 workspace file not found' },
  TIANDI_E_WORKSPACE_EXISTS: { status: 409, summary: '工作区已存在 workspace file already exists' },
  TIANDI_E_NOT_WORKSPACE: { status: 400, summary: '不是 Tiandi 工作区 not a Tiandi workspace' },
  TIANDI_E_WORKSPACE_NEWER: { status: 400, summary: '工作区版本比本程序新 workspace schema is newer than this program' },
  TIANDI_E_INPUT: { status: 400, summary: '输入文件无效 invalid input file' },
  TIANDI_E_SCAN_DIR: { status: 400, summary: '扫描结果目录无效 invalid scan result folder' },
});

/** A code of the workspace: its own, or the shared "no such zone, season, target or certificate" and "conflicts with stored data". */
export type StoreErrorCode = keyof typeof STORE_ERROR_CODES | Extract<SharedErrorCode, 'TIANDI_E_NOT_FOUND' | 'TIANDI_E_CONFLICT'>;

/** The shared codes the workspace throws (documented in docs/errors/store.md too, with what they mean here). */
export const STORE_SHARED_CODES = ['TIANDI_E_NOT_FOUND', 'TIANDI_E_CONFLICT'] as const;

/** An error from the workspace with a stable `code`, the file it is about and, where known, the field or row. */
export class StoreError extends TiandiError<StoreErrorCode> {
  override readonly name = 'StoreError';
  constructor(code: StoreErrorCode, message: string, path?: string, field?: string) {
    super(code, message, statusOf(code, STORE_ERROR_CODES, SHARED_ERROR_CODES), { path, field });
  }
}
