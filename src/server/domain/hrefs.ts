/**
 * @module Every href the mock returns points back at the mock: at the origin the request came
 * in on, or at a configured public base URL per host family ([D] REFERENCE §1: account., api.,
 * retrieval. hosts; ARCHITECTURE "Surfaces").
 */

/** Jumio's host families. */
export type HostFamily = 'auth' | 'account' | 'api' | 'retrieval' | 'status' | 'web'

/** Configured public base URLs, by host family. */
export type PublicUrls = Partial<Record<HostFamily, string>>

/** Builds hrefs for one workflow execution. */
export class Hrefs {
  constructor(
    private readonly origin: string,
    private readonly publicUrls: PublicUrls,
  ) {}

  /** The base URL of a host family, without a trailing slash. */
  base(family: HostFamily): string {
    return (this.publicUrls[family] ?? this.origin).replace(/\/+$/, '')
  }

  /** [D] finalize URL on the api host (REFERENCE §4.4). */
  workflowExecution(accountId: string, wfeId: string): string {
    return `${this.base('api')}/api/v1/accounts/${accountId}/workflow-executions/${wfeId}`
  }

  /** [D] upload URL with the UPPERCASE classifier (REFERENCE §4.4). */
  part(accountId: string, wfeId: string, credentialId: string, classifier: string): string {
    return `${this.workflowExecution(accountId, wfeId)}/credentials/${credentialId}/parts/${classifier}`
  }

  /** [D] web.href: the hosted journey with the token and locale (REFERENCE §4.4). */
  web(token: string, locale: string): string {
    const q = new URLSearchParams({ authorizationToken: token, locale })
    return `${this.base('web')}/web/v4/app?${q.toString()}`
  }

  /** [D] account href on the retrieval host (REFERENCE §10.1). */
  account(accountId: string): string {
    return `${this.base('retrieval')}/api/v1/accounts/${accountId}`
  }

  /** [O] workflow href without the account segment, as real callbacks show (REFERENCE §12.1). */
  workflowExecutionById(wfeId: string): string {
    return `${this.base('retrieval')}/api/v1/workflow-executions/${wfeId}`
  }

  /** [D] steps href (REFERENCE §10.2). */
  steps(accountId: string, wfeId: string): string {
    return `${this.account(accountId)}/workflow-executions/${wfeId}/steps`
  }

  /** [D] retrieval part href: no workflow-execution segment (REFERENCE §10.2). */
  retrievalPart(accountId: string, credentialId: string, classifier: string): string {
    return `${this.account(accountId)}/credentials/${credentialId}/parts/${classifier}`
  }
}
