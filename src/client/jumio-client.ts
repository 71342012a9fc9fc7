/**
 * @module A typed client of Jumio's KYX API, generated from `contracts/jumio.openapi.yaml`
 * (openapi-fetch over the generated paths and schemas): the same client for the mock and for a
 * real Jumio tenant. Each call goes to its operation's host family, and the steps that follow an
 * href of an earlier answer (uploads, finalize) take that href as Jumio hands it out.
 */
import createClient from 'openapi-fetch'
import type { Client, FetchResponse, MaybeOptionalInit } from 'openapi-fetch'
import type { components, paths } from '../server/contract/jumio.gen.js'

/** The schemas of Jumio's API, by name (`JumioSchemas['WorkflowDetails']`...). */
export type JumioSchemas = components['schemas']
/** The paths of Jumio's API, for calls {@link JumioClient} has no step for. */
export type JumioPaths = paths

/** Jumio's host families; one base URL serves them all on the mock. */
export interface JumioHosts {
  auth: string
  account: string
  api: string
  retrieval: string
  status: string
}

/** How to reach Jumio and who calls. */
export interface JumioClientOptions {
  /** One base URL for every host family (the mock), or one per family. */
  hosts: string | JumioHosts
  /** Jumio asks for your company and app name. */
  userAgent: string
  /** Another fetch (a proxy agent's, a test's). */
  fetch?: typeof globalThis.fetch
}

type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'delete'> = FetchResponse<
  NonNullable<paths[P][M]>,
  MaybeOptionalInit<paths[P], M>,
  'application/json'
>

const WFE = '/api/v1/accounts/{accountId}/workflow-executions/{workflowExecutionId}' as const
const PART = `${WFE}/credentials/{credentialId}/parts/{classifier}` as const

/** The path parameters an upload or finalize href carries. */
function hrefParams(href: string) {
  const path = new URL(href).pathname
  const m =
    /\/api\/v1\/accounts\/([^/]+)\/workflow-executions\/([^/]+)(?:\/credentials\/([^/]+)\/parts\/([^/]+))?$/.exec(
      path,
    )
  if (!m) throw new Error(`${href} is not an upload or finalize href`)
  const [, accountId = '', workflowExecutionId = '', credentialId = '', classifier = ''] = [
    ...m,
  ].map((s: string | undefined) => (s === undefined ? s : decodeURIComponent(s)))
  return { accountId, workflowExecutionId, credentialId, classifier, base: new URL(href).origin }
}

/** The client: one typed step per operation of the verification flow. */
export class JumioClient {
  /** The generated client itself, for any call of the contract (`client.GET('/', ...)`). */
  readonly client: Client<paths>
  readonly hosts: JumioHosts

  constructor(options: JumioClientOptions) {
    const h = options.hosts
    this.hosts =
      typeof h === 'string' ? { auth: h, account: h, api: h, retrieval: h, status: h } : h
    this.client = createClient<paths>({
      headers: { 'User-Agent': options.userAgent, Accept: 'application/json' },
      ...(options.fetch && { fetch: options.fetch }),
    })
  }

  /** [D] An OAuth2 access token by client credentials in Basic auth (jumio-reference §2.1). */
  token(clientId: string, clientSecret: string): Promise<Answer<'/oauth2/token', 'post'>> {
    return this.client.POST('/oauth2/token', {
      baseUrl: this.hosts.auth,
      headers: {
        Authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: { grant_type: 'client_credentials' },
      bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
    })
  }

  /** Creates an account and its first workflow execution. */
  createAccount(accessToken: string, body: JumioSchemas['AccountRequest']) {
    return this.client.POST('/api/v1/accounts', {
      baseUrl: this.hosts.account,
      headers: bearer(accessToken),
      body,
    })
  }

  /** Starts a new workflow execution on an existing account. */
  updateAccount(accessToken: string, accountId: string, body: JumioSchemas['AccountRequest']) {
    return this.client.PUT('/api/v1/accounts/{accountId}', {
      baseUrl: this.hosts.account,
      params: { path: { accountId } },
      headers: bearer(accessToken),
      body,
    })
  }

  /** Uploads an image (or any file) to a part href of `api.parts`, with the transaction token. */
  uploadFile(href: string, transactionToken: string, file: Blob, filename = 'image') {
    const { base, ...path } = hrefParams(href)
    const form = new FormData()
    form.append('file', file, filename)
    return this.client.POST(PART, {
      baseUrl: base,
      params: { path },
      headers: bearer(transactionToken),
      body: form as never,
      bodySerializer: (body) => body as FormData,
    })
  }

  /** Uploads prepared data to a PREPARED_DATA part href, with the transaction token. */
  uploadPreparedData(href: string, transactionToken: string, data: JumioSchemas['PreparedData']) {
    const { base, ...path } = hrefParams(href)
    return this.client.POST(PART, {
      baseUrl: base,
      params: { path },
      headers: bearer(transactionToken),
      body: data,
    })
  }

  /** Finalizes at the `api.workflowExecution` href, with the transaction token. */
  finalize(href: string, transactionToken: string) {
    const { base, accountId, workflowExecutionId } = hrefParams(href)
    return this.client.PUT(WFE, {
      baseUrl: base,
      params: { path: { accountId, workflowExecutionId } },
      headers: bearer(transactionToken),
    })
  }

  /** The status of a workflow execution. */
  status(accessToken: string, accountId: string, workflowExecutionId: string) {
    return this.client.GET(`${WFE}/status`, {
      baseUrl: this.hosts.retrieval,
      params: { path: { accountId, workflowExecutionId } },
      headers: bearer(accessToken),
    })
  }

  /** The details (results) of a workflow execution. */
  details(accessToken: string, accountId: string, workflowExecutionId: string) {
    return this.client.GET(WFE, {
      baseUrl: this.hosts.retrieval,
      params: { path: { accountId, workflowExecutionId } },
      headers: bearer(accessToken),
    })
  }

  /** The steps of a workflow execution. */
  steps(accessToken: string, accountId: string, workflowExecutionId: string) {
    return this.client.GET(`${WFE}/steps`, {
      baseUrl: this.hosts.retrieval,
      params: { path: { accountId, workflowExecutionId } },
      headers: bearer(accessToken),
    })
  }

  /** A stored part (an image's bytes, or prepared data) at a part href of the details. */
  part(href: string, accessToken: string) {
    const url = new URL(href)
    const m = /\/api\/v1\/accounts\/([^/]+)\/credentials\/([^/]+)\/parts\/([^/]+)$/.exec(
      url.pathname,
    )
    if (!m) throw new Error(`${href} is not a part href`)
    const [accountId = '', credentialId = '', classifier = ''] = m.slice(1).map(decodeURIComponent)
    return this.client.GET(
      '/api/v1/accounts/{accountId}/credentials/{credentialId}/parts/{classifier}',
      {
        baseUrl: url.origin,
        params: { path: { accountId, credentialId, classifier } },
        headers: bearer(accessToken),
        parseAs: 'arrayBuffer',
      },
    )
  }

  /** Deletes one workflow execution. */
  deleteWorkflowExecution(accessToken: string, accountId: string, workflowExecutionId: string) {
    return this.client.DELETE(WFE, {
      baseUrl: this.hosts.retrieval,
      params: { path: { accountId, workflowExecutionId } },
      headers: bearer(accessToken),
    })
  }

  /** Deletes an account and every workflow execution on it. */
  deleteAccount(accessToken: string, accountId: string) {
    return this.client.DELETE('/api/v1/accounts/{accountId}', {
      baseUrl: this.hosts.retrieval,
      params: { path: { accountId } },
      headers: bearer(accessToken),
    })
  }
}

function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` }
}
