/**
 * @module Keeps tokens and secrets out of the journal and logs.
 */

// token_type ("Bearer") and *_in are not secrets; anything else named like a credential is
const SECRET_KEY = /^(?!token_type$).*(token|secret|password|authorization|apikey|api_key)/i
const CAP = 8192

/** A header map with credentials masked (the scheme is kept: it tells which auth was used). */
export function redactHeaders(
  headers: Headers | Iterable<[string, string]>,
): Record<string, string> {
  const out: Record<string, string> = {}
  const put = (value: string, name: string) => {
    if (name === 'authorization' || name === 'cookie' || name === 'x-mock-admin-token') {
      out[name] = value.replace(/^(\w+)\s+.*$/, '$1 ***')
    } else {
      out[name] = value.length > 512 ? `${value.slice(0, 512)}…` : value
    }
  }
  if (headers instanceof Headers) headers.forEach(put)
  else for (const [name, value] of headers) put(value, name)
  return out
}

/** A JSON value with secrets masked, strings and depth bounded. */
export function redactJson(value: unknown, depth = 0): unknown {
  if (depth > 12) return '…'
  if (typeof value === 'string') return redactString(value)
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactJson(v, depth + 1))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '***' : redactJson(v, depth + 1)
  }
  return out
}

/** A string with embedded tokens masked (web.href's authorizationToken, JWS compact tokens). */
export function redactString(s: string): string {
  const masked = s
    .replace(/(authorizationToken=)[^&\s]+/g, '$1***')
    .replace(/\beyJ[\w-]*\.[\w-]*\.[\w-]+/g, '***')
    .replace(/(client_secret=)[^&\s]+/g, '$1***')
  return masked.length > 2048 ? `${masked.slice(0, 2048)}…` : masked
}

/** A body as the journal keeps it: JSON redacted, form fields redacted, text capped. */
export function journalBody(text: string, contentType: string): unknown {
  if (text === '') return undefined
  if (text.length > CAP) return { truncated: true, size: text.length, contentType }
  if (contentType.includes('json')) {
    try {
      return redactJson(JSON.parse(text))
    } catch {
      return redactString(text)
    }
  }
  if (contentType.includes('x-www-form-urlencoded')) {
    const form = Object.fromEntries(new URLSearchParams(text))
    return redactJson(form)
  }
  return redactString(text)
}
