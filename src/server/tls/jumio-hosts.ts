/**
 * @module Which hosts the mock answers for over HTTPS: Jumio's, in its three regions,
 * on the production domain and on the pre-production one ([D] jumio-reference §1: `auth.`,
 * `account.`, `api.`, `retrieval.`, `status.`, `<prefix>.web.` and `callback.` under
 * `<region>.jumio.ai`; [O] `jumiopp.link` in Jumio's own examples). Everything else a proxied
 * client asks for is refused, or tunnelled when the allow-list names it.
 */

export const REGIONS = ['amer-1', 'emea-1', 'apac-1'] as const
export const DOMAINS = ['jumio.ai', 'jumiopp.link'] as const
const FIXED = ['auth', 'account', 'api', 'retrieval', 'status', 'callback'] as const

/** A DNS label as the portal's domain prefix allows it: a-z, 0-9, inner dashes, ≤ 63 ([D] §4.4). */
const PREFIX = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'
const JUMIO_HOST = new RegExp(
  `^(?:${FIXED.join('|')}|${PREFIX}\\.web)\\.(?:${REGIONS.join('|')})\\.(?:${DOMAINS.map((d) => d.replace('.', '\\.')).join('|')})$`,
)

/** Whether `host` (any case, no port) is one of Jumio's API hosts. */
export function isJumioHost(host: string): boolean {
  return JUMIO_HOST.test(host.toLowerCase())
}

/** Every name a `--tls` certificate covers: Jumio's hosts (web ones by wildcard), then loopback. */
export function directTlsNames(): string[] {
  const jumio = REGIONS.flatMap((region) =>
    DOMAINS.flatMap((domain) => [
      ...FIXED.map((f) => `${f}.${region}.${domain}`),
      `*.web.${region}.${domain}`,
    ]),
  )
  return [...jumio, 'localhost', '127.0.0.1', '::1']
}

/**
 * `--proxy-allow`: host names, or `*.suffix` for any name under a suffix. Names are compared
 * without case; a pattern never matches by substring (`*.example.com` is not `badexample.com`).
 */
export function allowedHost(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase()
  return patterns.some((p) => {
    const pattern = p.toLowerCase()
    return pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) : name === pattern
  })
}
