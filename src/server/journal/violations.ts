/**
 * @module The catalog of contract and policy violations a client's requests can carry, each with
 * a stable code, a message and the REFERENCE section it comes from (issue 4), and the detectors
 * that are plain functions of a request's data.
 */

import type { components } from '../contract/admin.gen.js'

/** One breach of Jumio's contract or documented policy by a client request (admin contract). */
export type Violation = components['schemas']['Violation']

/** A stable violation code. */
export type ViolationCode = Violation['code']

/** Every violation code, with its REFERENCE section. */
export const VIOLATIONS = {
  SCHEMA: '§4.2, §8.2 (contracts/jumio.openapi.yaml)',
  USER_AGENT_MISSING: '§2.2',
  USER_AGENT_GENERIC: '§2.2',
  WRONG_HOST: '§1',
  CALLBACK_URL_NOT_HTTPS: '§4.2 (portal rules)',
  CALLBACK_URL_IP: '§4.2 (portal rules)',
  CALLBACK_URL_PORT: '§4.2 (portal rules)',
  CALLBACK_URL_FRAGMENT: '§4.2 (portal rules)',
  PII_IN_REFERENCE: '§4.2',
  ACCESS_TOKEN_ON_CREDENTIALS_API: '§2.3',
  TRANSACTION_TOKEN_ON_RETRIEVAL: '§2.3',
  EXPIRED_TOKEN_REUSED: '§2.1, §3.3',
  FINALIZE_BEFORE_UPLOADS: '§9',
  UPLOAD_AFTER_FINALIZE: '§9',
  RETRIEVAL_TOO_EARLY: '§10 (retrieval best practices)',
  RETRIEVAL_AFTER_DELETION: '§13',
  // not a Jumio rule: HTTP/1.1 itself (RFC 9112), refused by Node's parser before any route
  HTTP_PROTOCOL_ERROR: 'RFC 9112',
} as const satisfies Record<ViolationCode, string>

/** Builds a violation with its section. */
export function violation(code: ViolationCode, message: string, pointer?: string): Violation {
  return { code, message, section: VIOLATIONS[code], ...(pointer !== undefined && { pointer }) }
}

// Default agents of HTTP libraries and tools: not "your business or entity name" (§2.2).
const GENERIC_AGENT =
  /^(curl|wget|axios|node-fetch|node|undici|got|superagent|python-requests|python-urllib|python-httpx|aiohttp|okhttp|go-http-client|java|apache-httpclient|postmanruntime|insomnia|httpie|ruby|faraday|guzzlehttp|dart|libwww-perl)\b/i

/** [D] User-Agent must name the business or entity (REFERENCE §2.2). */
export function userAgentViolations(agent: string | undefined): Violation[] {
  if (!agent?.trim())
    return [
      violation(
        'USER_AGENT_MISSING',
        'User-Agent header is missing; Jumio requires one naming your company and app',
      ),
    ]
  if (GENERIC_AGENT.test(agent.trim())) {
    return [
      violation(
        'USER_AGENT_GENERIC',
        `User-Agent "${agent.slice(0, 60)}" is a library default; Jumio requires your company and app name`,
      ),
    ]
  }
  return []
}

/** [D] the portal's rules for callback URLs: HTTPS, no IP address, no port, no fragment (§4.2). */
export function callbackUrlViolations(value: string): Violation[] {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return [
      violation(
        'CALLBACK_URL_NOT_HTTPS',
        `callbackUrl "${value.slice(0, 80)}" is not a valid absolute URL`,
        '/callbackUrl',
      ),
    ]
  }
  const out: Violation[] = []
  if (url.protocol !== 'https:')
    out.push(violation('CALLBACK_URL_NOT_HTTPS', 'callbackUrl must use HTTPS', '/callbackUrl'))
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname.startsWith('[')) {
    out.push(
      violation(
        'CALLBACK_URL_IP',
        'callbackUrl must use a host name, not an IP address',
        '/callbackUrl',
      ),
    )
  }
  if (url.port !== '')
    out.push(violation('CALLBACK_URL_PORT', 'callbackUrl must not contain a port', '/callbackUrl'))
  if (value.includes('#'))
    out.push(
      violation('CALLBACK_URL_FRAGMENT', 'callbackUrl must not contain a fragment', '/callbackUrl'),
    )
  return out
}

const PII: [string, RegExp][] = [
  ['an e-mail address', /[^\s@]+@[^\s@]+\.[a-z]{2,}/i],
  ['a phone number', /\+?\d[\d\s().-]{8,}\d/],
  ['a card number', /\b(?:\d[ -]?){13,19}\b/],
]

/** [D] customerInternalReference and userReference "must not contain any PII" (§4.2). */
export function piiViolations(
  field: 'customerInternalReference' | 'userReference',
  value: string | undefined,
): Violation[] {
  if (value === undefined) return []
  for (const [what, pattern] of PII) {
    if (pattern.test(value)) {
      return [
        violation(
          'PII_IN_REFERENCE',
          `${field} looks like it contains ${what}; it must not contain personal data`,
          `/${field}`,
        ),
      ]
    }
  }
  return []
}
