/**
 * @module `createApp(deps)`: the request pipeline, top to bottom, and the routes. No listening
 * and no environment here.
 */
import { Hono } from 'hono'
import type { Handler } from 'hono'
import { TrieRouter } from 'hono/router/trie-router'
import { requestId } from 'hono/request-id'
import type { AppDeps } from './deps.js'
import type { AppEnv } from './env.js'
import { HTTPException } from 'hono/http-exception'
import { UnknownScenario } from '../scenarios/registry.js'
import { JumioProblem, OAuthError, PROBLEMS, titleFor } from './errors.js'
import { journalRequests } from './middleware/journal.js'
import { setLateHeader } from './request-context.js'
import { requestPolicies } from './middleware/policies.js'
import { requestLog } from './middleware/request-log.js'
import { scenarioAndFaults } from './middleware/scenario.js'
import { validateResponses } from './middleware/validate-response.js'
import { accountRoutes } from './routes/accounts.js'
import { adminCallbackRoutes } from './routes/admin/callbacks.js'
import { adminCredentialRoutes } from './routes/admin/credentials.js'
import { adminInstanceRoutes } from './routes/admin/instance.js'
import { adminJournalRoutes } from './routes/admin/journal.js'
import { adminScenarioRoutes } from './routes/admin/scenarios.js'
import { adminWorkflowExecutionRoutes } from './routes/admin/workflow-executions.js'
import { credentialRoutes } from './routes/credentials.js'
import { docsRoutes } from './routes/docs.js'
import { healthRoutes } from './routes/health.js'
import { allowOnly } from './routes/operation.js'
import { honoPath } from './routes/bind.js'
import type { Contract } from './contract/validators.js'
import { oauthRoutes } from './routes/oauth.js'
import { retrievalRoutes } from './routes/retrieval.js'
import { consoleRoutes } from './routes/console.js'
import { webRoutes } from './routes/web.js'
import { closeAfterUnreadBodies } from './request-body.js'
import { MULTIPART_OVERHEAD } from './domain/multipart.js'

/** What a security scanner expects; no framing rule: the web journey may be embedded. */
export const SCANNER_HEADERS = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
] as const

/**
 * The methods each route path answers. A contract operation with no 2xx answer exists to be
 * refused (PUT on a part): its method is not allowed.
 */
function methodsByPath(app: Hono<AppEnv>, contract: Contract): Map<string, string[]> {
  const refused = new Set(
    [...contract.operations.values()]
      .filter((op) => ![...op.responses.keys()].some((status) => status.startsWith('2')))
      .map((op) => `${op.method} ${honoPath(op.path)}`),
  )
  const methods = new Map<string, string[]>()
  for (const { method, path } of app.routes) {
    if (method === 'ALL' || path.includes('*')) continue
    if (refused.has(`${method} ${path}`)) continue
    const known = methods.get(path) ?? []
    if (!known.includes(method)) methods.set(path, [...known, method])
  }
  return methods
}

/**
 * The last route, reached by a request no route answered: 405 with `Allow` on a known path (RFC
 * 9110 §15.5.6), the app's 404 on any other. One route instead of one per path: Hono's router
 * compiles every route for every method at the first request, and a catch-all per path was 40 of
 * its 144 routes, about 2.7 MB of idle RSS (measured). The paths' own router is made at the first
 * request that needs it.
 */
function otherMethods(app: Hono<AppEnv>, contract: Contract): Handler<AppEnv> {
  let known: TrieRouter<string[]> | undefined
  return function otherMethod(c) {
    if (!known) {
      known = new TrieRouter()
      for (const [path, methods] of methodsByPath(app, contract)) known.add('ALL', path, methods)
    }
    const [matches] = known.match('ALL', c.req.path)
    const allowed = [...new Set(matches.flatMap(([methods]) => methods))]
    if (allowed.length === 0 || allowed.includes(c.req.method)) return c.notFound()
    return allowOnly(...allowed)(c)
  }
}

/** Builds the mock's HTTP app from its dependencies. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  // counted from here to its end: closing waits for the requests in flight (in-flight.ts)
  app.use(async function inFlight(_c, next) {
    await deps.inFlight.around(next)
  })
  app.use(requestId())
  app.use(requestLog(deps.log))
  // shared state (Redis): 503 while it is unreachable; the admin settings read up to date
  const { shared } = deps
  if (shared) {
    app.use(async function sharedState(c, next) {
      await shared.gate(c.req.path)
      await next()
    })
  }
  app.use(journalRequests(deps))
  // the largest body the mock ever reads: an unread one announcing more is not worth discarding
  app.use(
    closeAfterUnreadBodies(
      Math.max(deps.config.maxUploadBytes, deps.config.maxBodyBytes) + MULTIPART_OVERHEAD,
    ),
  )
  app.use(async function mockHeaders(c, next) {
    for (const [name, value] of SCANNER_HEADERS) c.header(name, value)
    await next()
    // an answer thrown as an error is a fresh response, without the headers set before the route
    if (c.error) {
      setLateHeader(c, 'X-Request-Id', c.get('requestId'))
      for (const [name, value] of SCANNER_HEADERS) setLateHeader(c, name, value)
    }
    // everything else carries the scenario header set by answeredBy()
    if (c.get('scenario') === undefined || c.error) {
      setLateHeader(c, 'X-Mock-Scenario', c.get('scenario') ?? deps.scenarios.default.name)
    }
  })
  if (deps.config.validateResponses) app.use(validateResponses(deps))
  app.use(scenarioAndFaults(deps))
  app.use(requestPolicies())

  app.route('/', healthRoutes(deps))
  // the admin API (contracts/admin.openapi.yaml), one file per resource
  app.route('/', adminInstanceRoutes(deps))
  app.route('/', adminScenarioRoutes(deps))
  app.route('/', adminWorkflowExecutionRoutes(deps))
  app.route('/', adminCallbackRoutes(deps))
  app.route('/', adminJournalRoutes(deps))
  app.route('/', adminCredentialRoutes(deps))
  app.route('/', oauthRoutes(deps))
  app.route('/', credentialRoutes(deps))
  app.route('/', accountRoutes(deps))
  app.route('/', retrievalRoutes(deps))
  // Not Jumio operations (not in the contract): the hosted web journey and the QA console.
  app.route('/', webRoutes(deps))
  app.route('/', consoleRoutes())
  app.route('/', docsRoutes(deps))
  // another method on a known path (Jumio's, admin, web journey, console, docs) is a 405 with
  // Allow, not a 404
  app.all('*', otherMethods(app, deps.contract))

  app.notFound((c) => {
    const body = new JumioProblem(
      PROBLEMS.notFound,
      `No route for ${c.req.method} ${c.req.path}`,
    ).toJSON()
    return c.json(body, 404)
  })
  app.onError((err, c) => {
    if (err instanceof JumioProblem || err instanceof OAuthError) return err.getResponse()
    const unreachable = deps.shared?.unavailable(err)
    if (unreachable) return unreachable.getResponse()
    if (err instanceof UnknownScenario) {
      return new JumioProblem(PROBLEMS.badRequest, err.message).getResponse()
    }
    // Hono's own HTTPExceptions (e.g. a malformed request) keep their status, in Jumio's shape
    if (err instanceof HTTPException && err.status < 500) {
      return new JumioProblem(
        { status: err.status, title: titleFor(err.status) },
        err.message,
      ).getResponse()
    }
    deps.log.error('unhandled error', {
      path: c.req.path,
      method: c.req.method,
      error: err.stack ?? String(err),
    })
    const body = new JumioProblem(
      PROBLEMS.internal,
      'The mock hit an internal error; see its log',
    ).toJSON()
    return c.json(body, 500)
  })
  return app
}
