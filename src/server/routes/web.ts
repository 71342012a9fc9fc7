/**
 * @module The simulated hosted web journey at the path of `web.href`
 * (`/web/v4/app?authorizationToken=…&locale=…`, [D] jumio-reference §4.4), its assets, its sample
 * images and the outcome picker. None of it is in Jumio's contract, so no operation is named
 * and the scenario middleware lets it through untouched.
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import { samplePng } from '../../samples/images.js'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { problem } from '../errors.js'
import type { TransactionClaims } from '../domain/tokens.js'
import { Workflows } from '../domain/workflows.js'
import type { WorkflowExecution } from '../state/models.js'
import { languageOf } from '../../web/i18n.js'
import type { Language } from '../../web/i18n.js'
import { contentSecurityPolicy } from '../../web/html.js'
import { errorPage, JOURNEY_ASSETS, journeyPage, wfeIds } from '../../web/journey-page.js'
import { pageScript } from '../../web/page-scripts.js'
import { STYLESHEET } from '../../web/styles.js'
import { readJson } from './operation.js'

/** [D] sample sizes that pass the resolution rules (src/server/domain/images.ts). */
const SAMPLE_SIZES: Record<string, [number, number]> = {
  FRONT: [1000, 630],
  BACK: [1000, 630],
  DOCUMENT: [1000, 1414],
  FACE: [480, 640],
}
/**
 * The journey runs inside the client's site, in an iframe ([D] jumio-reference §16), so any http(s)
 * site may frame it; everything else in its policy is strict (see contentSecurityPolicy).
 */
const PAGE_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': contentSecurityPolicy('http: https:'),
  'X-Content-Type-Options': 'nosniff',
}
const NO_SNIFF = { 'X-Content-Type-Options': 'nosniff' }

/** The web journey's routes. */
export function webRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const samples = new Map<string, Uint8Array<ArrayBuffer>>()

  app.get('/web/v4/app', async (c) => {
    const token = c.req.query('authorizationToken') ?? ''
    const opened = await openJourney(deps, token)
    const language = languageOf(c.req.query('locale') ?? opened.wfe?.web.locale)
    return c.html(render(deps, token, opened, language), 200, PAGE_HEADERS)
  })

  // The outcome picker: the page posts the chosen scenario with the transaction token.
  app.post('/web/v4/app/outcome', async (c) => {
    await bearerWorkflow(c, deps)
    const body = (await readJson(c, deps.config.maxBodyBytes)) as { scenario?: unknown } | null
    if (typeof body?.scenario !== 'string')
      throw problem.badRequest('Body must be {"scenario": "<name>"}')
    // checked again once the body is read: a deletion or finalize meanwhile wins
    const wfe = await bearerWorkflow(c, deps)
    await deps.workflows.setScenario(wfe, deps.scenarios.require(body.scenario))
    return c.json({ workflowExecutionId: wfe.id, scenario: body.scenario })
  })

  app.get(JOURNEY_ASSETS.script, async (c) =>
    c.body(await pageScript('journey'), 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      ...NO_SNIFF,
    }),
  )
  app.get(JOURNEY_ASSETS.stylesheet, (c) =>
    c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8', ...NO_SNIFF }),
  )
  app.get('/web/v4/samples/:name{[A-Z]+\\.png}', (c) => {
    const classifier = c.req.param('name').replace(/\.png$/, '')
    const size = SAMPLE_SIZES[classifier]
    if (!size) throw problem.notFound(`No sample image for ${classifier}`)
    let bytes = samples.get(classifier)
    if (!bytes) {
      bytes = new Uint8Array(samplePng(...size))
      samples.set(classifier, bytes)
    }
    return c.body(bytes, 200, { 'Content-Type': 'image/png', ...NO_SNIFF })
  })
  return app
}

/** What opening the journey found: an open workflow execution, or an error code. */
interface Opened {
  wfe?: WorkflowExecution
  claims?: TransactionClaims
  errorCode?: number
}

/**
 * [D] 9200 for a missing, invalid or expired token; 9210 for a session that expired after the
 * journey started (jumio-reference §15, §3.3). [I] A journey that was already finalized also ends
 * with 9200: its token cannot start another capture.
 */
async function openJourney(deps: AppDeps, token: string): Promise<Opened> {
  let claims: TransactionClaims
  try {
    claims = await deps.tokens.verifyTransactionToken(token)
  } catch {
    return { errorCode: 9200 }
  }
  const found = await deps.store.locateWorkflowExecution(claims.wfeId)
  if (found?.accountId !== claims.accId) return { claims, errorCode: 9200 }
  const wfe = await deps.workflows.settle(found)
  if (wfe.status === 'SESSION_EXPIRED') return { wfe, claims, errorCode: 9210 }
  if (wfe.status !== 'INITIATED') return { wfe, claims, errorCode: 9200 }
  return { wfe, claims }
}

function render(deps: AppDeps, token: string, opened: Opened, language: Language): string {
  const { wfe, claims, errorCode } = opened
  if (wfe && errorCode === undefined) return journeyPage(wfe, language, deps.scenarios.names())
  const ids = wfe
    ? wfeIds(wfe)
    : {
        token,
        ...(claims && {
          accountId: claims.accId,
          workflowExecutionId: claims.wfeId,
          customerInternalReference: claims.cRef,
        }),
      }
  return errorPage(errorCode ?? 9200, ids, language, wfe)
}

/** The open workflow execution of the request's transaction token (API-channel rules). */
async function bearerWorkflow(c: Context<AppEnv>, deps: AppDeps): Promise<WorkflowExecution> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1]
  if (!bearer) throw problem.unauthorized('Missing bearer token in the Authorization header')
  const claims = await deps.tokens.verifyTransactionToken(bearer)
  const found = await deps.store.locateWorkflowExecution(claims.wfeId)
  if (found?.accountId !== claims.accId)
    throw problem.notFound(`Workflow execution ${claims.wfeId} not found`)
  const wfe = await deps.workflows.settle(found)
  Workflows.requireOpen(wfe)
  return wfe
}
