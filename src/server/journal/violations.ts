/**
 * @module The catalog of contract and policy violations a client's requests can carry, each with
 * a stable code, a message and the section of docs/jumio-reference.md it comes from, and the detectors
 * that are plain functions of a request's data.
 */

import type { components } from '../contract/admin.gen.js'
import { mediaType } from '../contract/validators.js'
import { findPii } from './pii.js'

/** One breach of Jumio's contract or documented policy by a client request (admin contract). */
export type Violation = components['schemas']['Violation']

/** A stable violation code. */
export type ViolationCode = Violation['code']

/**
 * What a violation does to its request:
 * - `recorded`: the request goes on in both modes (Jumio accepts it, or no source shows it refused);
 * - `strict`: refused in strict mode only, because Jumio documents refusing it;
 * - `refused`: the request fails in both modes anyway (the violation says why).
 */
export type Refusal = 'recorded' | 'strict' | 'refused'

/** One code: the section of the rule it checks, what it does to the request, and the evidence. */
interface CatalogEntry {
  section: string
  refusal: Refusal
  evidence: string
  /** The status strict mode answers it with (`refusal: 'strict'` only). */
  status?: 400 | 403
}

const PORTAL_RULE = '[D] a portal rule; whether the account API refuses it is unverified (§19.16)'

/** Every violation code (sections of docs/jumio-reference.md). Strict mode refuses only what Jumio is shown to refuse. */
export const VIOLATIONS = {
  SCHEMA: {
    section: '§4.2, §8.2 (contracts/jumio.openapi.yaml)',
    refusal: 'recorded',
    evidence:
      '[O] Jumio accepted a numeric customerInternalReference and echoed it as a string; [D] its own example writes a phone number with dashes; what it answers to a missing field is not documented. Any other breach of the schema is a 400 in both modes',
  },
  USER_AGENT_MISSING: {
    section: '§2.2',
    refusal: 'strict',
    status: 403,
    evidence: '[D] "Calls with missing or suspicious headers [...] will result in 403 Forbidden"',
  },
  USER_AGENT_GENERIC: {
    section: '§2.2',
    refusal: 'recorded',
    evidence:
      '[D] Jumio asks for the business name "for API troubleshooting"; no source shows a library default refused',
  },
  CONTENT_TYPE: {
    section: '§2.2, §8.1',
    refusal: 'recorded',
    evidence:
      '[D] every JSON call sends Content-Type: application/json; what Jumio answers to another is not documented',
  },
  WRONG_HOST: {
    section: '§1',
    refusal: 'recorded',
    evidence: '[I] no source says what another host family answers',
  },
  CALLBACK_URL_NOT_HTTPS: {
    section: '§4.2 (portal rules)',
    refusal: 'recorded',
    evidence: PORTAL_RULE,
  },
  CALLBACK_URL_IP: { section: '§4.2 (portal rules)', refusal: 'recorded', evidence: PORTAL_RULE },
  CALLBACK_URL_PORT: { section: '§4.2 (portal rules)', refusal: 'recorded', evidence: PORTAL_RULE },
  CALLBACK_URL_FRAGMENT: {
    section: '§4.2 (portal rules)',
    refusal: 'recorded',
    evidence: PORTAL_RULE,
  },
  PII_IN_REFERENCE: {
    section: '§4.2',
    refusal: 'recorded',
    evidence: '[D] "must not contain any PII", but no refusal is documented',
  },
  ACCESS_TOKEN_ON_CREDENTIALS_API: {
    section: '§2.3',
    refusal: 'refused',
    evidence: '[D] uploads and finalize take the transaction token: 401',
  },
  TRANSACTION_TOKEN_ON_RETRIEVAL: {
    section: '§2.3',
    refusal: 'refused',
    evidence: '[D] account and retrieval calls take the OAuth2 access token: 401',
  },
  EXPIRED_TOKEN_REUSED: {
    section: '§2.1, §3.3',
    refusal: 'refused',
    evidence: '[D] an expired token is refused: 401',
  },
  FINALIZE_BEFORE_UPLOADS: {
    section: '§9',
    refusal: 'recorded',
    evidence: '[D] not rejected: the results show NOT_UPLOADED (§19.6)',
  },
  UPLOAD_AFTER_FINALIZE: {
    section: '§9',
    refusal: 'refused',
    evidence: '[I] the journey is over once finalized: 403 (§19.6)',
  },
  RETRIEVAL_TOO_EARLY: {
    section: '§10 (retrieval best practices)',
    refusal: 'recorded',
    evidence: '[D] a best practice (at most 10 attempts, with backoff), not a refusal',
  },
  RETRIEVAL_AFTER_DELETION: {
    section: '§13',
    refusal: 'refused',
    evidence: '[D] deleted data is gone: 404',
  },
  // not a Jumio rule: HTTP/1.1 itself (RFC 9112), refused by Node's parser before any route
  HTTP_PROTOCOL_ERROR: {
    section: 'RFC 9112',
    refusal: 'refused',
    evidence: 'the request cannot be read as HTTP/1.1: 400, 408, 413 or 431',
  },
} as const satisfies Record<ViolationCode, CatalogEntry>

/**
 * The SCHEMA violations of a body the contract refuses (a 400 in both modes): recorded too, so
 * that the journal and `--fail-on-violations` see a client that ignores the 400.
 */
export function schemaViolations(
  found: readonly { pointer: string; message: string }[],
): Violation[] {
  return found.map((v) => violation('SCHEMA', v.message, v.pointer === '' ? undefined : v.pointer))
}

/** Builds a violation with its section. */
export function violation(code: ViolationCode, message: string, pointer?: string): Violation {
  const { section } = VIOLATIONS[code]
  return { code, message, section, ...(pointer !== undefined && { pointer }) }
}

/** The first of `found` that strict mode refuses, with the status it answers, if any. */
export function refusedInStrictMode(
  found: readonly Violation[],
): { violation: Violation; status: number } | undefined {
  for (const v of found) {
    const entry: CatalogEntry = VIOLATIONS[v.code]
    if (entry.refusal === 'strict') return { violation: v, status: entry.status ?? 400 }
  }
  return undefined
}

/** HTTP libraries, tools and runtimes whose names make up their default User-Agent. */
const LIBRARIES = [
  ...['curl', 'wget', 'httpie', 'postmanruntime', 'insomnia', 'k6', 'mozilla'],
  ...['axios', 'node-fetch', 'node', 'undici', 'got', 'superagent', 'node-superagent', 'deno'],
  ...['bun', 'python-requests', 'python-urllib', 'python-urllib3', 'python-httpx', 'python'],
  ...['cpython', 'aiohttp', 'okhttp', 'dalvik', 'go-http-client', 'java', 'java-http-client'],
  ...['apache-httpclient', 'apache-httpasyncclient', 'vert\\.x-webclient', 'ruby', 'faraday'],
  ...['rest-client', 'http\\.rb', 'guzzlehttp', 'dart', 'libwww-perl', 'restsharp'],
  ...['windowspowershell', 'powershell'],
].join('|')

/**
 * A library's default agent (§2.2 asks for "your business or entity name"): nothing but library
 * names, each with a version after `/` or ` v`, and comments in parentheses, as `Python/3.11
 * aiohttp/3.9.1`, `Faraday v2.7.10` or PowerShell's `Mozilla/5.0 (Windows NT...)
 * WindowsPowerShell/5.1`. A business whose name starts like one (`Faraday Bank KYC/1.0`) is not.
 */
const AGENT_TOKEN = `(?:(?:${LIBRARIES})(?:/\\S*)?(?:\\s+v?\\d[\\w.+-]*)?|\\([^)]*\\))`
const GENERIC_AGENT = new RegExp(`^${AGENT_TOKEN}(?:\\s+${AGENT_TOKEN})*$`, 'i')

/**
 * [D] a JSON body goes with `Content-Type: application/json` (jumio-reference §2.2, §8.1); its
 * parameters (`charset=utf-8`) and letter case aside.
 */
export function contentTypeViolations(contentType: string | undefined): Violation[] {
  const type = mediaType(contentType)
  if (type === 'application/json') return []
  const sent = type === '' ? 'missing' : `"${type.slice(0, 60)}"`
  return [violation('CONTENT_TYPE', `Content-Type is ${sent}; Jumio requires application/json`)]
}

/** [D] User-Agent must name the business or entity (jumio-reference §2.2). */
export function userAgentViolations(agent: string | undefined): Violation[] {
  if (!agent?.trim())
    return [
      violation(
        'USER_AGENT_MISSING',
        'User-Agent header is missing; Jumio requires one naming your company and app, e.g. User-Agent: AcmeBank KYC/1.0',
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

/**
 * [D] the portal's rules for callback URLs: HTTPS, no IP address, no port, no fragment (§4.2).
 * `value` is a URL already (account-request.ts refuses one that does not parse with a 400).
 */
export function callbackUrlViolations(value: string): Violation[] {
  const url = new URL(value)
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
  if (url.port !== '' || explicitPort(value))
    out.push(violation('CALLBACK_URL_PORT', 'callbackUrl must not contain a port', '/callbackUrl'))
  if (value.includes('#'))
    out.push(
      violation('CALLBACK_URL_FRAGMENT', 'callbackUrl must not contain a fragment', '/callbackUrl'),
    )
  return out
}

/**
 * Whether a URL names a port, the scheme's default included (`https://host:443/`), which the URL
 * parser drops: the portal refuses any port in the URL.
 */
function explicitPort(value: string): boolean {
  const authority = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1] ?? ''
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1)
  // an IPv6 address holds colons of its own: its port follows the bracket
  const afterHost = hostPort.startsWith('[') ? hostPort.slice(hostPort.indexOf(']') + 1) : hostPort
  return afterHost.includes(':')
}

/**
 * [D] customerInternalReference and userReference "must not contain any PII" (§4.2). `year`
 * (now, by default) bounds a plausible year of birth.
 */
export function piiViolations(
  field: 'customerInternalReference' | 'userReference',
  value: string | undefined,
  year?: number,
): Violation[] {
  const found = value === undefined ? null : findPii(value, year)
  if (found === null) return []
  return [
    violation(
      'PII_IN_REFERENCE',
      `${field} looks like it contains ${found}; it must not contain personal data`,
      `/${field}`,
    ),
  ]
}
