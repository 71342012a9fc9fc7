/**
 * @module The admin API's API credentials: OAuth2 clients under
 * `/__admin/api-credentials` and the deprecated Basic-auth API users under `/__admin/api-users`,
 * the same four operations on each: list, create (the secret shown once), rotate, deactivate.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AppDeps } from '../../deps.js'
import type { AppEnv } from '../../env.js'
import { problem } from '../../errors.js'
import type { components } from '../../contract/admin.gen.js'
import type { ApiCredential, CredentialType } from '../../domain/credential-model.js'
import { adminCredential } from '../../render/admin.js'
import { adminBinder, tenantParam } from './common.js'
import { param, readJson } from '../operation.js'

type Schemas = components['schemas']

/** The operationIds of each type: list, create, rotate, deactivate. */
const FAMILIES = [
  {
    type: 'OAUTH2_CLIENT',
    ops: [
      'listApiCredentials',
      'createApiCredential',
      'rotateApiCredential',
      'deactivateApiCredential',
    ],
  },
  {
    type: 'API_USER',
    ops: ['listApiUsers', 'createApiUser', 'rotateApiUser', 'deactivateApiUser'],
  },
] as const satisfies readonly {
  type: CredentialType
  ops: readonly [string, string, string, string]
}[]

/** The API credentials routes. */
export function adminCredentialRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = adminBinder(app, deps)
  const render = (listed: ApiCredential) =>
    adminCredential({ source: 'admin', credential: listed }, deps.credentials)
  const withSecret = (credential: ApiCredential, clientSecret: string) => {
    const body: Schemas['NewApiCredential'] = { ...render(credential), clientSecret }
    return body
  }

  for (const { type, ops } of FAMILIES) {
    const [list, create, rotate, deactivate] = ops
    route(list, (c) =>
      c.json({
        apiCredentials: deps.credentials
          .list(type, tenantParam(c))
          .map((l) => adminCredential(l, deps.credentials)),
      }),
    )
    route(create, async (c) => {
      const body = (await bodyOf(c, deps)) as Partial<Schemas['ApiCredentialRequest']>
      const named = tenantParam(c)
      if (body.tenant !== undefined && named !== undefined && body.tenant !== named) {
        throw problem.badRequest(
          `The body's tenant "${body.tenant}" is not the tenant the call names ("${named}")`,
        )
      }
      const { credential, secret } = await deps.credentials.create(type, {
        ...body,
        tenant: body.tenant ?? named,
      })
      deps.log.info('API credential created', {
        type,
        clientId: credential.clientId,
        tenant: credential.tenant,
        permissions: credential.permissions,
      })
      return c.json(withSecret(credential, secret), 201)
    })
    route(rotate, async (c) => {
      // as sent: the contract's default applies below
      const body = (await bodyOf(c, deps)) as Partial<Schemas['RotateRequest']>
      const graceMs = (body.graceSeconds ?? 0) * 1000
      const clientId = param(c, 'clientId')
      const rotated = await deps.credentials.rotate(type, clientId, tenantParam(c), graceMs)
      deps.log.info('API credential rotated', { type, clientId, graceMs })
      return c.json(withSecret(rotated.credential, rotated.secret), 200)
    })
    route(deactivate, async (c) => {
      const body = (await bodyOf(c, deps)) as Schemas['DeactivateRequest']
      const clientId = param(c, 'clientId')
      const credential = await deps.credentials.deactivate(
        type,
        clientId,
        tenantParam(c),
        body.revokeTokens,
      )
      deps.log.info('API credential deactivated', { type, clientId, ...body })
      return c.json(render(credential), 200)
    })
  }
  return app
}

/** An optional JSON body, already checked against the contract (adminOperation): an object. */
async function bodyOf(c: Context<AppEnv>, deps: AppDeps): Promise<object> {
  const body = await readJson(c, deps.config.maxBodyBytes, { optional: true })
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw problem.badRequest('The request body must be a JSON object')
  }
  return body
}
