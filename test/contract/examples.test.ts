import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadConfig } from '../../src/config.js'
import { CONTRACTS_DIR } from '../../src/package-files.js'
import { createApp } from '../../src/server/app.js'
import { Contract } from '../../src/server/contract/validators.js'
import { createDeps } from '../../src/server/deps.js'
import { FIXTURES } from '../helpers/server.js'

type IndexEntry = { operationId: string; status: number } | { webhook: string } | { schema: string }

const EXAMPLES_DIR = `${CONTRACTS_DIR}examples/`
const index = JSON.parse(readFileSync(`${EXAMPLES_DIR}index.json`, 'utf8')) as Record<
  string,
  IndexEntry
>
const document = parse(readFileSync(`${CONTRACTS_DIR}jumio.openapi.yaml`, 'utf8')) as {
  webhooks: Record<
    string,
    { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }
  >
}
const contract = Contract.load('jumio')

function readExample(file: string): unknown {
  return JSON.parse(readFileSync(`${EXAMPLES_DIR}${file}`, 'utf8'))
}

/** The component schema a webhook's JSON body refers to, e.g. `CallbackBody`. */
function webhookSchema(name: string): string {
  const ref = document.webhooks[name]?.post.requestBody.content['application/json']?.schema.$ref
  if (!ref) throw new Error(`contract has no JSON webhook ${name}`)
  return ref.replace('#/components/schemas/', '')
}

function validateExample(entry: IndexEntry, body: unknown) {
  if ('operationId' in entry) {
    return contract.validateResponse(entry.operationId, entry.status, 'application/json', body)
  }
  if ('webhook' in entry) return contract.validateSchema(webhookSchema(entry.webhook), body)
  return contract.validateSchema(entry.schema, body)
}

/** `METHOD path` of every route the app serves on the paths `on` selects, sorted. */
function routed(on: (path: string) => boolean): string[] {
  const config = loadConfig(['--scenarios', `${FIXTURES}scenarios.test.yaml`], {})
  const app = createApp(createDeps(config, { log: { info() {}, warn() {}, error() {} } }))
  const found = app.routes
    .filter((r) => r.method !== 'ALL' && on(r.path))
    .map((r) => `${r.method} ${r.path}`)
  return [...new Set(found)].sort()
}

/** `METHOD path` of every operation of a contract, in Hono's path form, sorted. */
function declared(of: Contract): string[] {
  return [...of.operations.values()]
    .map((op) => `${op.method} ${op.path.replace(/\{([^}]+)\}/g, ':$1')}`)
    .sort()
}

/** A deep copy of a golden example, to be broken on purpose. */
function copyOf(file: string): unknown {
  return structuredClone(readExample(file))
}

describe('the Jumio contract', () => {
  it('has exactly the operations the server routes, method and path alike', () => {
    // the Jumio surface: everything but the admin API, the web journey and the docs
    const jumio = (path: string) => !/^\/(__admin|web)\b/.test(path)
    expect(routed(jumio)).toEqual(declared(contract))
  })

  it('and the admin contract has exactly the operations the admin API routes', () => {
    // the console (and /__admin/, which leads there) and the docs pages live under /__admin
    // too, but are no admin API operations
    const admin = (path: string) =>
      /^\/__admin\//.test(path) && !/^\/__admin\/((ui|docs|contracts)\b|$)/.test(path)
    // the callback check is routed under a parameter (routes/admin/common.ts)
    const asRouted = declared(Contract.load('admin')).map((r) =>
      r === 'POST /__admin/callbacks/verify' ? 'POST /__admin/callbacks/:callbackId' : r,
    )
    expect(routed(admin)).toEqual(asRouted.sort())
  })

  it('indexes every golden example, and only existing files', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json')
    expect(Object.keys(index).sort()).toEqual(files.sort())
  })

  it.each(Object.entries(index))('accepts the golden example %s', (file, entry) => {
    expect(validateExample(entry, readExample(file))).toEqual([])
  })

  it('rejects an account response without workflowExecution (the 201-era shape)', () => {
    const body = copyOf('account-update-10010.response.json') as Record<string, unknown>
    delete body['workflowExecution']
    const violations = contract.validateResponse('createAccount', 200, 'application/json', body)
    expect(violations.map((v) => v.message).join('\n')).toContain('workflowExecution')
  })

  it('rejects a 201 on account creation', () => {
    const body = readExample('account-update-10010.response.json')
    const violations = contract.validateResponse('createAccount', 201, 'application/json', body)
    expect(violations).toEqual([
      { pointer: '', message: 'createAccount does not declare status 201' },
    ])
  })

  it('rejects a timestamp without milliseconds', () => {
    const body = copyOf('finalize.response.json') as { timestamp: string }
    body.timestamp = '2023-03-10T04:37:21Z'
    const violations = contract.validateResponse(
      'finalizeWorkflowExecution',
      200,
      'application/json',
      body,
    )
    expect(violations.map((v) => v.pointer)).toContain('/timestamp')
  })

  it('rejects a numeric definitionKey in a callback', () => {
    const body = copyOf('callback-token-expired.json') as {
      workflowExecution: { definitionKey: unknown }
    }
    body.workflowExecution.definitionKey = 10013
    const violations = contract.validateSchema('CallbackBody', body)
    expect(violations.map((v) => v.pointer)).toContain('/workflowExecution/definitionKey')
  })

  it('rejects an unknown decision type in a capability', () => {
    const body = copyOf('retrieval-10010-watchlist-pass.response.json') as {
      capabilities: { watchlistScreening: { decision: { type: string } }[] }
    }
    const entry = body.capabilities.watchlistScreening[0]
    if (entry) entry.decision.type = 'OK'
    const violations = contract.validateResponse(
      'getWorkflowExecution',
      200,
      'application/json',
      body,
    )
    expect(violations.map((v) => v.pointer)).toContain(
      '/capabilities/watchlistScreening/0/decision/type',
    )
  })

  it('rejects an access token response with an extra field', () => {
    const body = { access_token: 'x', expires_in: 3600, token_type: 'Bearer', scope: 'all' }
    const violations = contract.validateResponse(
      'requestAccessToken',
      200,
      'application/json',
      body,
    )
    expect(violations.map((v) => v.message).join('\n')).toContain('(scope)')
  })

  it('rejects a problem body without detail', () => {
    const violations = contract.validateResponse('getPart', 404, 'application/json', {
      title: 'Not Found',
      status: 404,
    })
    expect(violations.map((v) => v.message).join('\n')).toContain("'detail'")
  })

  it('takes, open, [I] an error as application/problem+json (§15), not a success', () => {
    const problem = { title: 'Not Found', status: 404, detail: 'gone' }
    const type = 'application/problem+json'
    expect(contract.validateResponse('getPart', 404, type, problem, true)).toEqual([])
    expect(contract.validateResponse('getPart', 404, type, problem)).not.toEqual([])
    const status = contract.validateResponse('getHealth', 200, type, { status: 'UP' }, true)
    expect(status.length).toBe(1)
  })
})

describe('prepared data', () => {
  const valid = {
    firstName: 'FIRSTNAME',
    lastName: 'LASTNAME',
    dateOfBirth: '1985-01-01',
    email: 'tmp@tmp.com',
    phoneNumber: '+14155550100',
    address: { line1: '123 HIGHLAND DRIVE', city: 'CITY', postalCode: '12345', country: 'BRA' },
    id: { idNumber: 'ABCD12345', expiryDate: '2034-11-30', type: 'DRIVING_LICENSE' },
  }
  const upload = (body: unknown) => contract.validateRequest('uploadPart', 'application/json', body)

  it('accepts the documented fields', () => {
    expect(upload(valid)).toEqual([])
  })

  it('names /dateOfBirth when it is not YYYY-MM-DD', () => {
    const violations = upload({ ...valid, dateOfBirth: '01/02/1990' })
    expect(violations.length).toBeGreaterThan(0)
    expect(violations.every((v) => v.pointer === '/dateOfBirth')).toBe(true)
  })

  it('names a misspelt field', () => {
    const violations = upload({ ...valid, fristName: 'A' })
    expect(violations.map((v) => v.message)).toContain(
      '/ must NOT have additional properties (fristName)',
    )
  })

  it('rejects an unknown id type and a non-E.164 phone number', () => {
    const violations = upload({
      ...valid,
      phoneNumber: '+231-375-9663',
      id: { ...valid.id, type: 'VISA' },
    })
    expect(violations.map((v) => v.pointer).sort()).toEqual(['/id/type', '/phoneNumber'])
  })

  it('lets images through as multipart without describing their bytes', () => {
    expect(contract.validateRequest('uploadPart', 'multipart/form-data; boundary=x', {})).toEqual(
      [],
    )
  })
})

describe('account request', () => {
  const base = { customerInternalReference: 'CUSTJUMIOTEST1', workflowDefinition: { key: 10013 } }
  const create = (body: unknown) =>
    contract.validateRequest('createAccount', 'application/json', body)

  it('accepts a numeric or a string workflow key', () => {
    expect(create(base)).toEqual([])
    expect(create({ ...base, workflowDefinition: { key: '10164' } })).toEqual([])
  })

  it("accepts the hosted Mock Service's JSON directive as customerInternalReference", () => {
    const directive = JSON.stringify({
      customerInternalReference: 'mockuser',
      decisionLabel: 'NFC_CERTIFICATE',
      credentialWithDecision: 'ID',
      extractionOverrides: { firstName: 'JOHN', idType: 'PASSPORT' },
    })
    expect(create({ ...base, customerInternalReference: directive })).toEqual([])
  })

  it('rejects forbidden characters and a missing reference', () => {
    expect(create({ ...base, customerInternalReference: 'a/b' })).not.toEqual([])
    expect(create({ workflowDefinition: { key: 1 } }).map((v) => v.message)).toContain(
      "/ must have required property 'customerInternalReference'",
    )
  })

  it('rejects a malformed tokenLifetime and an unknown locale', () => {
    const violations = create({ ...base, tokenLifetime: '30 minutes', web: { locale: 'xx' } })
    expect(violations.map((v) => v.pointer).sort()).toEqual(['/tokenLifetime', '/web/locale'])
  })
})

describe('bodies the contract does not describe', () => {
  it('accepts finalize without a body, or with an empty object', () => {
    expect(contract.validateRequest('finalizeWorkflowExecution', '', undefined)).toEqual([])
    expect(contract.validateRequest('finalizeWorkflowExecution', 'application/json', {})).toEqual(
      [],
    )
  })

  it('requires a body on an upload', () => {
    expect(contract.validateRequest('uploadPart', '', undefined)).not.toEqual([])
  })

  it('expects deletions to answer 200 without a body; open, also [I] an empty object (§13)', () => {
    expect(contract.validateResponse('deleteAccount', 200, '', undefined)).toEqual([])
    // the mock's own answers are held to its choice
    expect(
      contract.validateResponse('deleteWorkflowExecution', 200, 'application/json', {}),
    ).not.toEqual([])
    expect(
      contract.validateResponse('deleteWorkflowExecution', 200, 'application/json', {}, true),
    ).toEqual([])
    const body = contract.validateResponse('deleteAccount', 200, 'application/json', { a: 1 }, true)
    expect(body).toEqual([
      expect.objectContaining({ message: expect.stringContaining('declares no body') as string }),
    ])
  })

  it('answers PUT on a part with 405 only', () => {
    const problem = { title: 'Method Not Allowed', status: 405, detail: 'use POST' }
    expect(contract.validateResponse('updatePart', 405, 'application/json', problem)).toEqual([])
    expect(contract.validateResponse('updatePart', 200, 'application/json', {})).not.toEqual([])
  })

  it('declares images on getPart without validating their bytes', () => {
    expect(contract.validateResponse('getPart', 200, 'image/jpeg', new Uint8Array([0xff]))).toEqual(
      [],
    )
    expect(contract.validateResponse('getPart', 200, 'text/plain', 'x')).not.toEqual([])
  })
})

describe('the contract loader', () => {
  const problem = { type: 'object', required: ['title'] }
  const inline = new Contract(
    {
      openapi: '3.1.0',
      paths: {
        '/things/{id}': {
          get: {
            operationId: 'getThing',
            responses: {
              '200': { $ref: '#/components/responses/Alias' },
              '4XX': { content: { 'application/json': { schema: problem } } },
            },
          },
        },
      },
      components: {
        responses: {
          Alias: { $ref: '#/components/responses/Thing' },
          Thing: {
            content: { 'application/json': { schema: { type: 'object', required: ['id'] } } },
          },
        },
      },
    },
    'inline',
  )

  it('falls back to a response range such as 4XX', () => {
    expect(inline.validateResponse('getThing', 404, 'application/json', { title: 'x' })).toEqual([])
    expect(inline.validateResponse('getThing', 409, 'application/json', {})).not.toEqual([])
    expect(inline.validateResponse('getThing', 500, 'application/json', {})).toEqual([
      { pointer: '', message: 'getThing does not declare status 500' },
    ])
  })

  it('follows a reusable response that is itself a $ref', () => {
    expect(inline.validateResponse('getThing', 200, 'application/json', { id: '1' })).toEqual([])
    expect(inline.validateResponse('getThing', 200, 'application/json', {})).not.toEqual([])
  })
})
