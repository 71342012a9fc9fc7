/**
 * @module Every href the mock returns points back at the mock, on the base URL of its host
 * family, chosen in this order:
 * 1. a configured public base URL of the family (`--public-url-<family>`, `--public-url`);
 * 2. when the request came in under one of Jumio's host names (through a proxy, or a name that
 *    resolves to the mock), Jumio's host of the family in the same region and domain, as Jumio
 *    answers: a create on `account.amer-1.jumio.ai` gets uploads on `api.amer-1.jumio.ai` and
 *    retrieval on `retrieval.amer-1.jumio.ai` ([D] jumio-reference §1);
 * 3. the origin the request came in on.
 */

/** Jumio's host families. */
export type HostFamily = 'auth' | 'account' | 'api' | 'retrieval' | 'status' | 'web'

/** Configured public base URLs, by host family. */
export type PublicUrls = Partial<Record<HostFamily, string>>

/**
 * One of Jumio's host names: `<family>.<region>.<domain>`, the web client's with a customer
 * prefix (`<prefix>.web.<region>.<domain>`); the domain is production's or pre-production's
 * ([D] jumio-reference §1; [O] jumiopp.link).
 */
const JUMIO_HOST =
  /^(?:([a-z0-9-]+)\.(?=web\.))?(auth|account|api|retrieval|status|web|callback)\.(amer-1|emea-1|apac-1)\.(jumio\.ai|jumiopp\.link)$/i

/**
 * The family of a host name (a Host header's, its port and a final dot aside) that is one of
 * Jumio's, else undefined.
 */
export function jumioHostFamily(host: string): string | undefined {
  return JUMIO_HOST.exec(host.replace(/:\d*$/, '').replace(/\.$/, ''))?.[2]?.toLowerCase()
}

/** The prefix of the web client's host when the request did not come in on one ([I]). */
const WEB_PREFIX = 'mock'

/** Jumio's base URL of `family` in the region and domain of `origin`, if origin is Jumio's. */
export function jumioBase(origin: string, family: HostFamily): string | undefined {
  // most origins name no Jumio host at all: they skip parsing a URL (4 % of a details read)
  if (!/jumio/i.test(origin)) return undefined
  const url = URL.canParse(origin) ? new URL(origin) : undefined
  const m = url && JUMIO_HOST.exec(url.hostname)
  if (!url || !m) return undefined
  const [, prefix, came, region, domain] = m
  const host =
    family === 'web'
      ? `${came?.toLowerCase() === 'web' && prefix ? prefix : WEB_PREFIX}.web.${region}.${domain}`
      : `${family}.${region}.${domain}`
  return `${url.protocol}//${host.toLowerCase()}${url.port ? `:${url.port}` : ''}`
}

/** Builds hrefs for one workflow execution. */
export class Hrefs {
  constructor(
    private readonly origin: string,
    private readonly publicUrls: PublicUrls,
  ) {}

  /** The base URL of a host family, without a trailing slash. */
  base(family: HostFamily): string {
    const base = this.publicUrls[family] ?? jumioBase(this.origin, family) ?? this.origin
    return base.replace(/\/+$/, '')
  }

  /** [D] finalize URL on the api host (jumio-reference §4.4). */
  workflowExecution(accountId: string, wfeId: string): string {
    return `${this.base('api')}/api/v1/accounts/${accountId}/workflow-executions/${wfeId}`
  }

  /** [D] upload URL with the UPPERCASE classifier (jumio-reference §4.4). */
  part(accountId: string, wfeId: string, credentialId: string, classifier: string): string {
    return `${this.workflowExecution(accountId, wfeId)}/credentials/${credentialId}/parts/${classifier}`
  }

  /** [D] web.href: the hosted journey with the token and locale (jumio-reference §4.4). */
  web(token: string, locale: string): string {
    const q = new URLSearchParams({ authorizationToken: token, locale })
    return `${this.base('web')}/web/v4/app?${q.toString()}`
  }

  /** [D] account href on the retrieval host (jumio-reference §10.1). */
  account(accountId: string): string {
    return `${this.base('retrieval')}/api/v1/accounts/${accountId}`
  }

  /** [O] workflow href without the account segment, as real callbacks show (jumio-reference §12.1). */
  workflowExecutionById(wfeId: string): string {
    return `${this.base('retrieval')}/api/v1/workflow-executions/${wfeId}`
  }

  /** [D] steps href (jumio-reference §10.2). */
  steps(accountId: string, wfeId: string): string {
    return `${this.account(accountId)}/workflow-executions/${wfeId}/steps`
  }

  /** [D] retrieval part href: no workflow-execution segment (jumio-reference §10.2). */
  retrievalPart(accountId: string, credentialId: string, classifier: string): string {
    return `${this.account(accountId)}/credentials/${credentialId}/parts/${classifier}`
  }
}
