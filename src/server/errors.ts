/**
 * @module One catalog of intended errors, rendered in Jumio's two wire shapes: problem details
 * `{title, status, detail}` ([D] jumio-reference §15) and OAuth2's `{error, error_description}` for the
 * token endpoint (jumio-reference §2.1). Anything else thrown is a bug and becomes a logged 500.
 */

/** A problem's fixed part. */
export interface ProblemTemplate {
  status: number
  title: string
}

/** Every problem the mock sends, by name. */
export const PROBLEMS = {
  badRequest: { status: 400, title: 'Bad Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  notFound: { status: 404, title: 'Not Found' },
  methodNotAllowed: { status: 405, title: 'Method Not Allowed' },
  // the admin API's own: a change the state does not allow (a configured credential)
  conflict: { status: 409, title: 'Conflict' },
  payloadTooLarge: { status: 413, title: 'Payload Too Large' },
  unsupportedMediaType: { status: 415, title: 'Unsupported Media Type' },
  // [D] the only documented error body (jumio-reference §15)
  tooManyRequests: { status: 429, title: 'Too Many Requests' },
  internal: { status: 500, title: 'Internal Server Error' },
  serviceUnavailable: { status: 503, title: 'Service Unavailable' },
  // the mock's own disk, not Jumio's behaviour: never a scenario's fault (RFC 4918 §11.5)
  insufficientStorage: { status: 507, title: 'Insufficient Storage' },
} as const satisfies Record<string, ProblemTemplate>

/** The standard title of an HTTP status, for problems a scenario injects. */
export function titleFor(status: number): string {
  const known = Object.values(PROBLEMS).find((p) => p.status === status)
  return (
    known?.title ??
    (
      {
        408: 'Request Timeout',
        409: 'Conflict',
        417: 'Expectation Failed',
        422: 'Unprocessable Content',
        431: 'Request Header Fields Too Large',
        502: 'Bad Gateway',
        504: 'Gateway Timeout',
      } as Record<number, string>
    )[status] ??
    'Error'
  )
}

/** The problem-details body. */
export interface ProblemBody {
  title: string
  status: number
  detail: string
}

/** An intended error in Jumio's problem-details shape. */
export class JumioProblem extends Error {
  readonly status: number
  readonly title: string
  readonly headers: Record<string, string>

  constructor(template: ProblemTemplate, detail: string, headers: Record<string, string> = {}) {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0 // an answer, not a bug: no stack to capture (a tenth of a 401's time)
    super(detail)
    Error.stackTraceLimit = limit
    this.name = 'JumioProblem'
    this.status = template.status
    this.title = template.title
    this.headers = headers
  }

  /** The body as sent. */
  toJSON(): ProblemBody {
    return { title: this.title, status: this.status, detail: this.message }
  }

  /** Same duck-typed contract as Hono's HTTPException: the error handler calls getResponse(). */
  getResponse(): Response {
    return Response.json(this.toJSON(), { status: this.status, headers: this.headers })
  }
}

/**
 * A write durable mode could not store (its disk is full, or failing): nothing of it was kept, in
 * memory or on disk. 507 when out of space, 503 for other disk failures.
 */
export class StorageError extends JumioProblem {
  constructor(template: ProblemTemplate, detail: string) {
    super(template, detail)
    this.name = 'StorageError'
  }
}

/** OAuth2 error codes ([I] Cognito's, jumio-reference §2.1). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'

/** An intended error of the token endpoint, in RFC 6749's shape. */
export class OAuthError extends Error {
  readonly status: 400 | 401
  readonly code: OAuthErrorCode

  constructor(status: 400 | 401, code: OAuthErrorCode, description: string) {
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0 // as for JumioProblem
    super(description)
    Error.stackTraceLimit = limit
    this.name = 'OAuthError'
    this.status = status
    this.code = code
  }

  /** The body as sent: Cognito answers `{"error": "..."}` alone ([I] jumio-reference §2.1). */
  toJSON(): { error: OAuthErrorCode } {
    return { error: this.code }
  }

  getResponse(): Response {
    return Response.json(this.toJSON(), { status: this.status })
  }
}

/** Shorthands for the problems thrown most. */
export const problem = {
  badRequest: (detail: string) => new JumioProblem(PROBLEMS.badRequest, detail),
  unauthorized: (detail: string) => new JumioProblem(PROBLEMS.unauthorized, detail),
  forbidden: (detail: string) => new JumioProblem(PROBLEMS.forbidden, detail),
  notFound: (detail: string) => new JumioProblem(PROBLEMS.notFound, detail),
}
