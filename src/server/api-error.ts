/**
 * DataKit's HTTP error shape: `{"error_code": "datakit.<code>", "message"}`
 * with a 4xx/5xx status. Every route answers errors through this one type.
 */
export class ApiError extends Error {
  readonly status: number;
  /** Lower-camel-case code without the `datakit.` prefix, e.g. `invalidLinePoint`. */
  readonly code: string;
  readonly headers: Record<string, string>;
  /** Extra JSON members beside error_code/message (plkit additions such as `bad_lines`). */
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    message: string,
    opts: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code.startsWith('datakit.') ? code.slice('datakit.'.length) : code;
    this.headers = opts.headers ?? {};
    this.extra = opts.extra ?? {};
  }

  body(): string {
    return JSON.stringify({ error_code: `datakit.${this.code}`, message: this.message, ...this.extra });
  }
}
