/**
 * @module The verification suite's HTTP side: the typed JumioClient, whose every answer is
 * checked against the contract as it arrives (the operation named by the request's method and
 * path), so that a check only has to say which status it expects.
 */
import { JumioClient } from '../client/jumio-client.js'
import { operationsOf } from '../server/contract/operations.js'
import { OperationRouter } from '../server/contract/router.js'
import { Contract } from '../server/contract/validators.js'

/** Where the target lives, per host family. */
export interface Target {
  auth: string
  account: string
  api: string
  retrieval: string
  status: string
  clientId: string
  clientSecret: string
  userAgent: string
}

/** A failed expectation, naming what was expected. */
export class CheckFailure extends Error {
  override name = 'CheckFailure'
}

/** What the typed client answers. */
interface Answer<T> {
  data?: T
  error?: unknown
  response: Response
}

/** The typed client against one target, and what the contract says of each answer. */
export class VerifyClient {
  readonly contract = Contract.load('jumio')
  readonly jumio: JumioClient
  /** The contract's complaints about each answer, and the operation it answered. */
  private readonly checked = new WeakMap<Response, { operationId: string; violations: string[] }>()
  /**
   * Whether answers may be what Jumio leaves open where the contract declares the mock's choice
   * (Contract.validateResponse): for a target that is not a jumio-mock.
   */
  open = false

  constructor(readonly target: Target) {
    const router = new OperationRouter(operationsOf(this.contract).values())
    // openapi-fetch hands its fetch one Request
    const checking = (async (input: Request) => {
      const res = await fetch(input, { redirect: 'manual', signal: AbortSignal.timeout(30_000) })
      const operationId = router.match(input.method, new URL(input.url).pathname)?.operationId
      if (operationId)
        this.checked.set(res, { operationId, violations: await this.check(operationId, res) })
      return res
    }) as typeof fetch
    this.jumio = new JumioClient({ hosts: target, userAgent: target.userAgent, fetch: checking })
  }

  /** The contract's complaints about a response of `operationId` (read from a clone). */
  private async check(operationId: string, res: Response): Promise<string[]> {
    const bytes = new Uint8Array(await res.clone().arrayBuffer())
    const type = res.headers.get('Content-Type') ?? ''
    let body: unknown = bytes.length > 0 ? bytes : undefined
    if (type.includes('json') && bytes.length > 0) {
      try {
        body = JSON.parse(Buffer.from(bytes).toString('utf8'))
      } catch {
        body = undefined
      }
    }
    return this.contract
      .validateResponse(operationId, res.status, bytes.length === 0 ? '' : type, body, this.open)
      .map((v) => v.message)
  }

  /** The contract's complaints about an answer (none when the contract has no such call). */
  violationsOf(answer: Answer<unknown>): string[] {
    return this.checked.get(answer.response)?.violations ?? []
  }

  /** Fails unless the status is `expected` and the answer is in the contract; its data. */
  expect<T>(answer: Answer<T>, expected: number): T {
    const { response: res } = answer
    const operationId = this.checked.get(res)?.operationId ?? res.url
    if (res.status !== expected) {
      const detail =
        answer.error === undefined ? '' : `: ${JSON.stringify(answer.error).slice(0, 300)}`
      throw new CheckFailure(
        `${operationId}: expected status ${String(expected)}, got ${String(res.status)}${detail}`,
      )
    }
    const violations = this.violationsOf(answer)
    if (violations.length > 0) {
      throw new CheckFailure(
        `${operationId} ${String(res.status)} breaks the contract: ${violations.slice(0, 3).join('; ')}`,
      )
    }
    return answer.data as T
  }

  /** An OAuth2 access token by client credentials (Basic auth). */
  async accessToken(): Promise<string> {
    const { clientId, clientSecret } = this.target
    return this.expect(await this.jumio.token(clientId, clientSecret), 200).access_token
  }
}
