/**
 * @module How the scenario chosen for a request answers it, the same for every operation: it is
 * named (`X-Mock-Scenario`), it sets the validation mode (strict mode then refuses what was
 * recorded so far that Jumio refuses), and its faults happen (a status with Jumio's body,
 * latency, a dropped connection) before the route's work.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Context } from 'hono'
import { faultLatency, FAULT_TITLES, pickFault } from '../scenarios/faults.js'
import type { Fault, Scenario } from '../scenarios/types.js'
import type { AppDeps } from './deps.js'
import type { AppEnv } from './env.js'
import { JumioProblem, OAuthError, PROBLEMS, titleFor } from './errors.js'
import { answeredBy, refuseInStrictMode } from './request-context.js'

/** The token endpoint's operationId: it answers in OAuth2's error shape. */
export const TOKEN = 'requestAccessToken'

/** The request is answered by `scenario`: named, and in its validation mode. */
export function answerWith(c: Context<AppEnv>, deps: AppDeps, scenario: Scenario): void {
  answeredBy(c, scenario.name)
  c.set('strict', (scenario.validation ?? deps.config.validation) === 'strict')
  refuseInStrictMode(c)
}

/** The fault of the answering scenario's rules that applies to this request, if any, happens. */
export async function meetScenarioFaults(
  c: Context<AppEnv>,
  deps: AppDeps,
  scenario: Scenario,
): Promise<void> {
  const tenant = c.get('tenant')
  if (tenant === undefined) return
  const counts = deps.tenants.faultCounts(tenant)
  const fault = await pickFault(scenario, c.get('operationId'), counts, c.get('client'))
  if (fault) await applyFault(c, fault, deps.inFlight.signal)
}

/**
 * Delays, drops or answers with the fault's status; the route runs only after latency alone. The
 * latency ends early when `closing` aborts: the request then fails, as its connection is gone.
 */
export async function applyFault(c: Context, fault: Fault, closing?: AbortSignal): Promise<void> {
  const wait = faultLatency(fault)
  if (wait > 0) {
    await sleep(wait, undefined, closing && { signal: closing }).catch(() => {
      throw new JumioProblem(PROBLEMS.serviceUnavailable, 'The mock is closing')
    })
  }
  if (fault.drop) {
    const incoming = (c.env as { incoming?: { socket?: { destroy: () => void } } } | undefined)
      ?.incoming
    incoming?.socket?.destroy()
    throw new JumioProblem(
      { status: 503, title: 'Service Unavailable' },
      'Connection dropped by the scenario',
    )
  }
  if (fault.status === undefined) return
  // the token endpoint answers 400 and 401 in OAuth2's shape (jumio-reference §2.1), 429 as Jumio does
  if ((c as Context<AppEnv>).get('operationId') === TOKEN) {
    if (fault.status === 401) throw new OAuthError(401, 'invalid_client', 'injected by a fault')
    if (fault.status === 400) throw new OAuthError(400, 'invalid_request', 'injected by a fault')
  }
  const known = FAULT_TITLES[fault.status] ?? {
    title: titleFor(fault.status),
    detail: 'The scenario injected this error',
  }
  const headers: Record<string, string> = {}
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter)
  throw new JumioProblem(
    { status: fault.status, title: fault.title ?? known.title },
    fault.detail ?? known.detail,
    headers,
  )
}
