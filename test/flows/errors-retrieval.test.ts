import { beforeAll, describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import {
  accessToken,
  credentialOf,
  retrieve,
  txTokenOf,
  useClient,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created, Details } from '../helpers/jumio.js'
import { expectProblem, expectScenarioHeader } from '../helpers/expect.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()
const jumio = useClient(s)
let otherTenant: string
let w: Created
let v: Created
beforeAll(async () => {
  otherTenant = await accessToken(s, 'client-b')
  const body = { customerInternalReference: 'ret', workflowDefinition: { key: 10011 } }
  w = await jumio.create(body)
  v = await jumio.create(body)
  await jumio
    .upload(credentialOf(w, 'ID').api?.parts['front'] ?? '', txTokenOf(w), samplePng(800, 500))
    .expect(200)
  await jumio.finalize(w).expect(200)
})

const UNKNOWN = '00000000-0000-4000-a000-000000000000'
const frontPath = (x: Created) =>
  `/api/v1/accounts/${x.account.id}/credentials/${credentialOf(x, 'ID').id}/parts/FRONT`
/** Every retrieval GET of workflow execution w. */
const ROUTES: [string, () => string][] = [
  ['status', () => `${workflowPath(w)}/status`],
  ['details', () => workflowPath(w)],
  ['steps', () => `${workflowPath(w)}/steps`],
  ['details by id', () => `/api/v1/workflow-executions/${w.workflowExecution.id}`],
  ['part', () => frontPath(w)],
]

describe('retrieval with the OAuth2 bearer', () => {
  it.each(ROUTES)('serves %s to its tenant', async (_, path) => {
    const res = await jumio.retrieve(path()).expect(200)
    expectScenarioHeader(res)
  })

  it.each(ROUTES)('answers %s without Authorization with 401', async (_, path) => {
    const res = await s.http.get(path()).set('User-Agent', USER_AGENT)
    expectProblem(res, 401, 'Missing bearer token')
  })

  it.each(ROUTES)('answers %s with a transaction token with 401', async (_, path) => {
    expectProblem(
      await retrieve(s, txTokenOf(w), path()),
      401,
      'A workflow transaction token is not accepted here',
    )
  })

  it.each(ROUTES)('answers %s with a garbled bearer with 401', async (_, path) => {
    expectProblem(await retrieve(s, 'garbage', path()), 401, 'Access token is invalid')
  })

  it.each(ROUTES)("answers %s of another tenant's workflow execution with 404", async (_, path) => {
    expectProblem(await retrieve(s, otherTenant, path()), 404, 'not found')
  })

  it.each(ROUTES)('serves %s with Basic client credentials', async (_, path) => {
    await s.http.get(path()).auth('client-a', 'secret').expect(200)
  })

  it.each([
    [
      'status of an unknown workflow execution',
      () => `/api/v1/accounts/${w.account.id}/workflow-executions/${UNKNOWN}/status`,
      () => `Workflow execution ${UNKNOWN} not found`,
    ],
    [
      'details of an unknown workflow execution',
      () => `/api/v1/accounts/${w.account.id}/workflow-executions/${UNKNOWN}`,
      () => `Workflow execution ${UNKNOWN} not found`,
    ],
    [
      'steps of an unknown workflow execution',
      () => `/api/v1/accounts/${w.account.id}/workflow-executions/${UNKNOWN}/steps`,
      () => `Workflow execution ${UNKNOWN} not found`,
    ],
    [
      'details by an unknown id',
      () => `/api/v1/workflow-executions/${UNKNOWN}`,
      () => `Workflow execution ${UNKNOWN} not found`,
    ],
    [
      'status under an unknown account',
      () => `/api/v1/accounts/${UNKNOWN}/workflow-executions/${w.workflowExecution.id}/status`,
      () => 'not found',
    ],
    [
      'status under the wrong account',
      () => `/api/v1/accounts/${v.account.id}/workflow-executions/${w.workflowExecution.id}/status`,
      () => `Workflow execution ${w.workflowExecution.id} not found`,
    ],
    [
      'details under the wrong account',
      () => `/api/v1/accounts/${v.account.id}/workflow-executions/${w.workflowExecution.id}`,
      () => `Workflow execution ${w.workflowExecution.id} not found`,
    ],
    [
      'steps under the wrong account',
      () => `/api/v1/accounts/${v.account.id}/workflow-executions/${w.workflowExecution.id}/steps`,
      () => `Workflow execution ${w.workflowExecution.id} not found`,
    ],
    [
      'a part under an unknown account',
      () => frontPath(w).replace(w.account.id, UNKNOWN),
      () => `Account ${UNKNOWN} not found`,
    ],
    [
      'a part under the wrong account',
      () => frontPath(w).replace(w.account.id, v.account.id),
      () => 'Part FRONT of credential',
    ],
    [
      'a part of an unknown credential',
      () => `/api/v1/accounts/${w.account.id}/credentials/${UNKNOWN}/parts/FRONT`,
      () => `Part FRONT of credential ${UNKNOWN} not found`,
    ],
    [
      'a part never uploaded',
      () => frontPath(w).replace('/FRONT', '/BACK'),
      () => 'Part BACK of credential',
    ],
    [
      'a part of an unknown classifier',
      () => frontPath(w).replace('/FRONT', '/XYZ'),
      () => 'Part XYZ of credential',
    ],
    [
      'a part of a workflow never uploaded to',
      () => frontPath(v),
      () => 'Part FRONT of credential',
    ],
  ])('answers %s with 404', async (_, path, detail) => {
    expectProblem(await jumio.retrieve(path()), 404, detail())
  })

  it('serves the details by id exactly as under the account', async () => {
    const [a, b] = await Promise.all([
      jumio.retrieve(workflowPath(w)).expect(200),
      jumio.retrieve(`/api/v1/workflow-executions/${w.workflowExecution.id}`).expect(200),
    ])
    expect(b.body).toEqual(a.body)
    expect((a.body as Details).workflow['id']).toBe(w.workflowExecution.id)
  })

  it.each([
    ['DELETE a workflow execution', () => s.http.delete(workflowPath(v))],
    ['DELETE an account', () => s.http.delete(`/api/v1/accounts/${v.account.id}`)],
  ])('answers %s of another tenant with 404 and keeps it', async (_, req) => {
    const res = await req().set('Authorization', `Bearer ${otherTenant}`)
    expectProblem(res, 404, 'not found')
    await jumio.retrieve(workflowPath(v)).expect(200)
  })

  it('answers DELETE without Authorization with 401', async () => {
    expectProblem(await s.http.delete(workflowPath(v)), 401, 'Missing bearer token')
    expectProblem(
      await s.http.delete(`/api/v1/accounts/${v.account.id}`),
      401,
      'Missing bearer token',
    )
  })
})

describe('health, unknown routes and methods', () => {
  it('answers GET / with {"status":"UP"} and no authentication', async () => {
    const res = await s.http.get('/').set('User-Agent', USER_AGENT).expect(200)
    expect(res.body).toEqual({ status: 'UP' })
    expectScenarioHeader(res)
  })

  it('answers GET /__admin/health with 200', async () => {
    const res = await s.http.get('/__admin/health').expect(200)
    expect((res.body as { status: string }).status).toBe('UP')
  })

  it.each(['/api/v1/nothing', '/api/v2/accounts', '/api/v1/accounts/x/y/z', '/oauth2/token/extra'])(
    'answers the unknown route %s with a 404 problem',
    async (path) => {
      expectProblem(await s.http.get(path), 404, `No route for GET ${path}`)
    },
  )

  it.each([
    ['GET', '/api/v1/accounts', 'POST'],
    ['DELETE', '/api/v1/accounts', 'POST'],
    ['GET', `/api/v1/accounts/${UNKNOWN}`, 'PUT, DELETE'],
    ['POST', `/api/v1/accounts/${UNKNOWN}`, 'PUT, DELETE'],
    ['POST', `/api/v1/accounts/${UNKNOWN}/workflow-executions/${UNKNOWN}`, 'PUT, GET, DELETE'],
    ['PATCH', `/api/v1/accounts/${UNKNOWN}/workflow-executions/${UNKNOWN}`, 'PUT, GET, DELETE'],
    ['POST', `/api/v1/accounts/${UNKNOWN}/workflow-executions/${UNKNOWN}/status`, 'GET'],
    ['DELETE', `/api/v1/accounts/${UNKNOWN}/workflow-executions/${UNKNOWN}/steps`, 'GET'],
    ['PUT', `/api/v1/workflow-executions/${UNKNOWN}`, 'GET'],
    ['POST', `/api/v1/accounts/${UNKNOWN}/credentials/${UNKNOWN}/parts/FRONT`, 'GET'],
    [
      'DELETE',
      `/api/v1/accounts/${UNKNOWN}/workflow-executions/${UNKNOWN}/credentials/${UNKNOWN}/parts/FRONT`,
      'POST',
    ],
    ['PUT', '/oauth2/token', 'POST'],
  ])('answers %s %s with a 405 problem allowing %s', async (method, path, allow) => {
    const res = await s.http[method.toLowerCase() as 'get'](path)
    expectProblem(res, 405, `Method ${method} is not allowed on ${path}`)
    expect(res.headers['allow']).toBe(allow)
  })
})
