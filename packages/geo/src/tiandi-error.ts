/**
 * The one base of every typed Tiandi error, and the shape of the code registries each package keeps in
 * its `errors.ts`. It lives in @tiandi/geo because geo is the root of the dependency graph: every package
 * and app can import it without a cycle, and it stays pure (it runs in the browser too).
 *
 * A code is defined in exactly one registry, with the HTTP status the server answers when the error reaches
 * a client and a one-line summary (test/error-codes.test.ts checks that codes are unique across packages,
 * have a status and are documented in docs/errors/*.md). A package may throw a code another registry owns
 * (as the tiles package throws geo's `TIANDI_E_UNKNOWN_CRS`): the status then comes from the owner.
 */

/** One code of a registry: the HTTP status the server answers, and what the code means in one line. */
export interface ErrorCodeSpec {
  readonly status: number;
  readonly summary: string;
}

/** A package's codes: `TIANDI_E_*` → its status and summary. */
export type ErrorRegistry<C extends string = string> = { readonly [K in C]: ErrorCodeSpec };

/** Freezes a registry, keeping its literal keys as the code type. */
export function defineErrorCodes<const R extends Record<`TIANDI_E_${string}`, ErrorCodeSpec>>(registry: R): Readonly<R> {
  return Object.freeze(registry);
}

/**
 * Codes that mean the same in every package, defined once: no such object, a conflict with stored state,
 * a cancelled operation, a bug. Documented in docs/errors/common.md.
 */
export const SHARED_ERROR_CODES = defineErrorCodes({
  TIANDI_E_NOT_FOUND: { status: 404, summary: '未找到 Not found' },
  TIANDI_E_CONFLICT: { status: 409, summary: '冲突 Conflict' },
  TIANDI_E_ABORTED: { status: 400, summary: '已取消 The operation was aborted.' },
  TIANDI_E_INTERNAL: { status: 500, summary: '内部错误 Internal error (a bug)' },
});

/** One of {@link SHARED_ERROR_CODES}. */
export type SharedErrorCode = keyof typeof SHARED_ERROR_CODES;

/** What a Tiandi error may carry besides its code and message. */
export interface TiandiErrorOptions {
  /** The input field (dotted path, flag or option) at fault. */
  field?: string;
  /** The file at fault. */
  path?: string;
  /** Values a client puts into its own wording of the code, in the user's language. */
  params?: Record<string, string | number>;
  cause?: unknown;
}

/** Marks Tiandi errors across copies of this module (a worker bundle, a second install). */
const BRAND = Symbol.for('tiandi.error');

/**
 * A typed error with a stable `code` (scripts match on it), a message for people (Chinese first, English
 * beside it) and the HTTP `status` its code has in the registry. Subclasses name the package it comes from.
 */
export class TiandiError<C extends string = string> extends Error {
  override readonly name: string = 'TiandiError';
  readonly status: number;
  // Declared, not initialised: set only when given, so errors compare and serialise as before.
  declare readonly field?: string;
  declare readonly path?: string;
  declare readonly params?: Record<string, string | number>;

  constructor(
    readonly code: C,
    message: string,
    status: number,
    options: TiandiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    if (options.field !== undefined) this.field = options.field;
    if (options.path !== undefined) this.path = options.path;
    if (options.params !== undefined) this.params = options.params;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True for any {@link TiandiError}, also one made by another copy of this module. */
export function isTiandiError(err: unknown): err is TiandiError {
  return err instanceof TiandiError || (typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true);
}

/** The status a registry gives `code`, looking in `registries` in order; 500 when none defines it (a bug). */
export function statusOf(code: string, ...registries: ErrorRegistry[]): number {
  for (const r of registries) if (Object.hasOwn(r, code)) return r[code].status;
  return 500;
}
