/**
 * A small Jumio client of the kind a team writes: start a verification, upload the ID and the
 * selfie, finalize, wait for the result. It calls Jumio through the typed client the package
 * exports (generated from Jumio's contract), so it knows nothing about the mock: point its URLs
 * at Jumio or at jumio-mock.
 */
import { JumioClient } from 'jumio-mock'
import type { JumioSchemas } from 'jumio-mock'

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

type Credential = JumioSchemas['AccountResponse']['workflowExecution']['credentials'][number]

/** One verification in progress. */
export interface Verification {
  accountId: string
  workflowExecutionId: string
  credentials: Credential[]
}

/** What every call of the typed client answers. */
interface Answer<T> {
  data?: T
  error?: unknown
  response: Response
}

/** The client. */
export class KycClient {
  private token: { value: string; expiresAt: number } | null = null
  private readonly jumio: JumioClient

  constructor(private readonly config: KycConfig) {
    const { authUrl: auth, accountUrl: account, retrievalUrl: retrieval } = config
    this.jumio = new JumioClient({
      hosts: { auth, account, api: account, retrieval, status: retrieval },
      userAgent: config.userAgent,
    })
  }

  /** Creates an account and its workflow execution for ID + selfie (workflow 10011). */
  async start(reference: string): Promise<Verification> {
    const created = await this.retried(async () =>
      this.jumio.createAccount(await this.bearer(), {
        customerInternalReference: reference,
        workflowDefinition: {
          key: 10011,
          credentials: [
            { category: 'ID', country: { values: ['USA'] }, type: { values: ['DRIVING_LICENSE'] } },
          ],
        },
      }),
    )
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
      const { token, parts, workflowExecution } = c.api
      finalize = { url: workflowExecution, token }
      for (const [part, url] of Object.entries(parts)) {
        const image = images[part]
        if (!image) continue
        const file = new Blob([new Uint8Array(image)], { type: 'image/png' })
        await this.retried(() => this.jumio.uploadFile(url, token, file, `${part}.png`))
      }
    }
    const done = finalize
    if (done) await this.retried(() => this.jumio.finalize(done.url, done.token))
  }

  /** Polls the status with backoff until a final status, then reads the decision. */
  async result(v: Verification, pollMs = 200, attempts = 10): Promise<Outcome> {
    const ids = [v.accountId, v.workflowExecutionId] as const
    for (let i = 0; i < attempts; i++) {
      const status = await this.retried(async () => this.jumio.status(await this.bearer(), ...ids))
      const s = status.workflowExecution.status
      if (s === 'TOKEN_EXPIRED' || s === 'SESSION_EXPIRED') return 'expired'
      if (s === 'PROCESSED') {
        const details = await this.retried(async () =>
          this.jumio.details(await this.bearer(), ...ids),
        )
        const type = details.decision.type
        return type === 'PASSED' ? 'approved' : type === 'WARNING' ? 'review' : 'rejected'
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs * 2 ** i))
    }
    throw new Error('verification did not finish in time')
  }

  private async bearer(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value
    const body = await this.retried(() =>
      this.jumio.token(this.config.clientId, this.config.clientSecret),
    )
    this.token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 }
    return this.token.value
  }

  /** Retries 429 and 5xx with Retry-After (capped), then gives up; other errors throw at once. */
  private async retried<T>(call: () => Promise<Answer<T>>, tries = 3): Promise<T> {
    for (let i = 1; ; i++) {
      const { data, error, response: res } = await call()
      if (res.ok && data !== undefined) return data
      if (res.status !== 429 && res.status < 500)
        throw new Error(`Jumio answered ${String(res.status)}: ${JSON.stringify(error)}`)
      if (i >= tries)
        throw new JumioUnavailableError(
          `Jumio answered ${String(res.status)} ${String(tries)} times`,
        )
      const wait = Math.min(Number(res.headers.get('Retry-After') ?? '1'), 1) * 100
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}
