/**
 * @module The checks of `jumio-mock verify`: the whole API-channel flow per workflow key, against
 * any base URL, every response checked against the contract (the provider side of contract testing). Scenario
 * checks run only when the target has the mock's admin API, so the same command runs against a
 * real Jumio tenant.
 */
import { gunzipSync } from 'node:zlib'
import type { JumioSchemas } from '../client/jumio-client.js'
import { samplePng } from '../samples/images.js'
import { detectFormat } from '../server/domain/images.js'
import { CheckFailure } from './client.js'
import type { VerifyClient } from './client.js'

/** One named check. */
export interface Check {
  id: string
  title: string
  run: () => Promise<void>
}

type Created = JumioSchemas['AccountResponse']

let images: Record<string, Buffer> | undefined
/** The sample uploads, drawn on first use: this module loads with every command (start-up). */
function sampleImages(): Record<string, Buffer> {
  images ??= {
    front: samplePng(1000, 630),
    back: samplePng(1000, 630),
    face: samplePng(480, 640),
  }
  return images
}
const PREPARED = {
  firstName: 'ADA',
  lastName: 'LOVELACE',
  dateOfBirth: '1990-12-10',
  address: { country: 'GBR' },
}

function assert(ok: boolean, message: string): asserts ok {
  if (!ok) throw new CheckFailure(message)
}

/** [O] Jumio's transaction token: HS512 JWS over gzipped claims (jumio-reference §3.1). */
export function checkTransactionToken(token: string, accountId: string, wfeId: string): void {
  const [header = '', payload = ''] = token.split('.')
  const h = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>
  assert(
    h['alg'] === 'HS512' && h['zip'] === 'GZIP',
    `token header is ${JSON.stringify(h)}, expected {"alg":"HS512","zip":"GZIP"}`,
  )
  const claims = JSON.parse(gunzipSync(Buffer.from(payload, 'base64url')).toString()) as Record<
    string,
    unknown
  >
  assert(
    claims['accId'] === accountId && claims['wfeId'] === wfeId,
    'token claims accId/wfeId do not name this workflow execution',
  )
  assert(
    typeof claims['exAt'] === 'string' && /^\d+$/.test(claims['exAt']),
    'token claim exAt is not epoch milliseconds as a string',
  )
}

/**
 * The checks of one workflow key, sharing one journey. On the mock (`mock`: it has the admin
 * API) they also check what the mock promises beyond Jumio's documentation: parts come back byte
 * for byte, and a deleted workflow execution reads 404. Jumio may answer either otherwise
 * ([I] jumio-reference §13: `wipedOutAt` suggests details that stay, wiped).
 */
export function flowChecks(
  client: VerifyClient,
  key: string,
  pollTimeoutMs: number,
  mock = true,
): Check[] {
  const { jumio } = client
  const s: { token?: string; created?: Created } = {}
  const token = () => s.token ?? ''
  const created = () => {
    assert(s.created !== undefined, 'no workflow execution (an earlier check failed)')
    return s.created
  }
  const ids = () => [created().account.id, created().workflowExecution.id] as const
  const id = (name: string) => `${key}:${name}`
  return [
    {
      id: id('token'),
      title: `${key}: OAuth2 token (200, three fields, JWT)`,
      run: async () => {
        s.token = await client.accessToken()
        assert(s.token.split('.').length === 3, 'access token is not a JWT')
      },
    },
    {
      id: id('create'),
      title: `${key}: create account (200, credentials, one transaction token)`,
      run: async () => {
        s.created = client.expect(
          await jumio.createAccount(token(), {
            customerInternalReference: `verify-${key}`,
            userReference: 'verify-user',
            workflowDefinition: { key: Number(key) },
          }),
          200,
        )
        const tokens = new Set(
          created().workflowExecution.credentials.flatMap((c) => (c.api ? [c.api.token] : [])),
        )
        assert(
          tokens.size === 1,
          `expected one transaction token for every credential, got ${String(tokens.size)}`,
        )
        checkTransactionToken([...tokens][0] ?? '', ...ids())
      },
    },
    {
      id: id('upload'),
      title: `${key}: upload every API part (200, same token)`,
      run: async () => {
        for (const c of created().workflowExecution.credentials) {
          if (!c.api) continue
          for (const [part, href] of Object.entries(c.api.parts)) {
            const image = new Uint8Array(sampleImages()[part] ?? samplePng(1000, 630))
            const answer =
              part === 'prepared_data'
                ? await jumio.uploadPreparedData(href, c.api.token, PREPARED)
                : await jumio.uploadFile(
                    href,
                    c.api.token,
                    new Blob([image], { type: 'image/png' }),
                    `${part}.png`,
                  )
            const r = client.expect(answer, 200)
            assert(r.api.token === c.api.token, 'upload response carries another token')
          }
        }
      },
    },
    {
      id: id('finalize'),
      title: `${key}: finalize (200)`,
      run: async () => {
        const api = created().workflowExecution.credentials.find((c) => c.api)?.api
        assert(api !== undefined, 'no credential with an api block')
        client.expect(await jumio.finalize(api.workflowExecution, api.token), 200)
      },
    },
    {
      id: id('status'),
      title: `${key}: status reaches PROCESSED (polling with backoff)`,
      run: async () => {
        const until = Date.now() + pollTimeoutMs
        for (let wait = 250; ; wait = Math.min(wait * 2, 10_000)) {
          const { workflowExecution: status } = client.expect(
            await jumio.status(token(), ...ids()),
            200,
          )
          assert(
            status.definitionKey === key,
            `definitionKey is ${status.definitionKey}, expected the string "${key}"`,
          )
          if (status.status === 'PROCESSED') return
          assert(
            ['INITIATED', 'ACQUIRED'].includes(status.status),
            `status became ${status.status}`,
          )
          assert(
            Date.now() + wait < until,
            `not PROCESSED after ${String(pollTimeoutMs)} ms (still ${status.status})`,
          )
          await new Promise((resolve) => setTimeout(resolve, wait))
        }
      },
    },
    {
      id: id('details'),
      title: `${key}: details and steps (200, in the contract)`,
      run: async () => {
        const details = client.expect(await jumio.details(token(), ...ids()), 200)
        assert(details.workflow.status === 'PROCESSED', `details say ${details.workflow.status}`)
        client.expect(await jumio.steps(token(), ...ids()), 200)
      },
    },
    {
      id: id('parts'),
      title: mock
        ? `${key}: uploaded parts round-trip byte for byte`
        : `${key}: uploaded parts come back as images`,
      run: async () => {
        const details = client.expect(await jumio.details(token(), ...ids()), 200)
        for (const part of details.credentials.flatMap((c) => c.parts ?? [])) {
          const image = sampleImages()[part.classifier.toLowerCase()]
          if (!part.href || !image) continue
          const got = new Uint8Array(client.expect(await jumio.part(part.href, token()), 200))
          if (mock) {
            assert(
              Buffer.compare(got, image) === 0,
              `${part.classifier} came back different from what was uploaded`,
            )
          } else {
            // Jumio may keep an image as it processed it: a JPEG or PNG, not the same bytes
            assert(detectFormat(got) !== null, `${part.classifier} is not a JPEG or PNG`)
          }
        }
      },
    },
    {
      id: id('delete'),
      title: mock ? `${key}: delete (200), then 404` : `${key}: delete (200)`,
      run: async () => {
        client.expect(await jumio.deleteWorkflowExecution(token(), ...ids()), 200)
        if (mock) client.expect(await jumio.status(token(), ...ids()), 404)
      },
    },
  ]
}

/** Scenario checks, for targets with the mock's admin API. */
export function scenarioChecks(client: VerifyClient): Check[] {
  const create = async (scenario: string) => {
    const access = await client.accessToken()
    return client.jumio.client.POST('/api/v1/accounts', {
      baseUrl: client.target.account,
      headers: { Authorization: `Bearer ${access}`, 'X-Mock-Scenario': scenario },
      body: { customerInternalReference: 'verify-scenario', workflowDefinition: { key: 10011 } },
    })
  }
  return [
    {
      id: 'scenario:unavailable',
      title: 'scenario jumio-unavailable: 503 problem with Retry-After',
      run: async () => {
        const r = await create('jumio-unavailable')
        const violations = client.violationsOf(r)
        assert(
          r.response.status === 503 && violations.length === 0,
          `expected a contract-valid 503, got ${String(r.response.status)} ${violations.join('; ')}`,
        )
        assert(r.response.headers.get('Retry-After') !== null, 'no Retry-After header')
      },
    },
    {
      id: 'scenario:header',
      title: 'X-Mock-Scenario names the scenario on the response',
      run: async () => {
        const r = await create('approved')
        assert(
          r.response.status === 200 && r.response.headers.get('X-Mock-Scenario') === 'approved',
          'X-Mock-Scenario header missing or wrong',
        )
      },
    },
  ]
}
