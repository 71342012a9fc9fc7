/**
 * A small Jumio client of the kind a team writes against Jumio's documentation, with plain fetch:
 * start a verification, upload the ID and the selfie, finalize, wait for the result. It knows
 * nothing about the mock: point its URLs at Jumio or at jumio-mock.
 */

/** Where Jumio lives and who we are. */
export interface KycConfig {
  authUrl: string
  accountUrl: string
  retrievalUrl: string
  clientId: string
  clientSecret: string
  /** Jumio asks for your company and app name. */
  userAgent: string
}

/** What the business cares about. */
export type Outcome = 'approved' | 'review' | 'rejected' | 'expired'

/** Jumio could not be reached or kept failing. */
export class JumioUnavailableError extends Error {
  override name = 'JumioUnavailableError'
}

interface Credential {
  category: string
  api?: { token: string; parts: Record<string, string>; workflowExecution: string }
}

/** One verification in progress. */
export interface Verification {
  accountId: string
  workflowExecutionId: string
  credentials: Credential[]
}

/** The client. */
export class KycClient {
  private token: { value: string; expiresAt: number } | null = null

  constructor(private readonly config: KycConfig) {}

  /** Creates an account and its workflow execution for ID + selfie (workflow 10011). */
  async start(reference: string): Promise<Verification> {
    const body = await this.json(
      'POST',
      `${this.config.accountUrl}/api/v1/accounts`,
      await this.bearer(),
      {
        customerInternalReference: reference,
        workflowDefinition: {
          key: 10011,
          credentials: [
            { category: 'ID', country: { values: ['USA'] }, type: { values: ['DRIVING_LICENSE'] } },
          ],
        },
      },
    )
    const created = body as {
      account: { id: string }
      workflowExecution: { id: string; credentials: Credential[] }
    }
    return {
      accountId: created.account.id,
      workflowExecutionId: created.workflowExecution.id,
      credentials: created.workflowExecution.credentials,
    }
  }

  /** Uploads every image part the API channel takes, then finalizes. */
  async submit(v: Verification, images: Record<string, Uint8Array>): Promise<void> {
    let finalize: { url: string; token: string } | null = null
    for (const c of v.credentials) {
      if (!c.api) continue
      finalize = { url: c.api.workflowExecution, token: c.api.token }
      for (const [part, url] of Object.entries(c.api.parts)) {
        const image = images[part]
        if (!image) continue
        const form = new FormData()
        form.append('file', new Blob([new Uint8Array(image)], { type: 'image/png' }), `${part}.png`)
        await this.send('POST', url, c.api.token, form)
      }
    }
    if (finalize) await this.send('PUT', finalize.url, finalize.token)
  }

  /** Polls the status with backoff until a final status, then reads the decision. */
  async result(v: Verification, pollMs = 200, attempts = 10): Promise<Outcome> {
    const path = `${this.config.retrievalUrl}/api/v1/accounts/${v.accountId}/workflow-executions/${v.workflowExecutionId}`
    for (let i = 0; i < attempts; i++) {
      const status = (await this.json('GET', `${path}/status`, await this.bearer())) as {
        workflowExecution: { status: string }
      }
      const s = status.workflowExecution.status
      if (s === 'TOKEN_EXPIRED' || s === 'SESSION_EXPIRED') return 'expired'
      if (s === 'PROCESSED') {
        const details = (await this.json('GET', path, await this.bearer())) as {
          decision: { type: string }
        }
        return details.decision.type === 'PASSED'
          ? 'approved'
          : details.decision.type === 'WARNING'
            ? 'review'
            : 'rejected'
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs * 2 ** i))
    }
    throw new Error('verification did not finish in time')
  }

  private async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value
    const basic = Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString(
      'base64',
    )
    const res = await this.fetchWithRetry(`${this.config.authUrl}/oauth2/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': this.config.userAgent,
      },
      body: 'grant_type=client_credentials',
    })
    const body = (await res.json()) as { access_token: string; expires_in: number }
    this.token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 }
    return this.token.value
  }

  private async json(method: string, url: string, token: string, body?: unknown): Promise<unknown> {
    const res = await this.send(
      method,
      url,
      token,
      body === undefined ? undefined : JSON.stringify(body),
    )
    return res.json()
  }

  private async send(
    method: string,
    url: string,
    token: string,
    body?: BodyInit,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      'User-Agent': this.config.userAgent,
    }
    if (typeof body === 'string') headers['Content-Type'] = 'application/json'
    return this.fetchWithRetry(url, { method, headers, ...(body !== undefined && { body }) })
  }

  /** Retries 429 and 5xx with Retry-After (capped), then gives up. */
  private async fetchWithRetry(url: string, init: RequestInit, tries = 3): Promise<Response> {
    for (let i = 1; ; i++) {
      const res = await fetch(url, init)
      if (res.ok) return res
      if (res.status !== 429 && res.status < 500)
        throw new Error(`Jumio answered ${String(res.status)}: ${await res.text()}`)
      if (i >= tries)
        throw new JumioUnavailableError(
          `Jumio answered ${String(res.status)} ${String(tries)} times`,
        )
      const wait = Math.min(Number(res.headers.get('Retry-After') ?? '1'), 1) * 100
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}
