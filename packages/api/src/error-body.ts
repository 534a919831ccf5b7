/** The JSON body of every error response of the API (codes: docs/errors/*.md). */
export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
  /** Values for the web app's own wording of `code` in the user's language; `message` stays bilingual for the CLI and logs. */
  params?: Record<string, string | number>;
}
