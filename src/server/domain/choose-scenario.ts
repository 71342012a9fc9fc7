/**
 * @module The one place that decides which scenario answers a request: the order of precedence
 * (docs/scenarios.md, "Choosing the scenario").
 */
import type { MockDirective } from '../../model/mock-directive.js'
import { directiveScenario } from '../../scenarios/directive.js'
import type { ScenarioRegistry } from '../../scenarios/registry.js'
import type { Scenario } from '../../scenarios/types.js'
import type { Tenants, TenantView } from './tenants.js'

/** What a request offers for choosing the scenario. */
export interface ScenarioInput {
  /** The `X-Mock-Scenario` request header. */
  header?: string | undefined
  tenant: TenantView
  operationId: string
  /** The request creates a workflow execution: every level below applies to it. */
  creating: boolean
  /** The scenario of the workflow execution the request is about, fixed when it was created. */
  workflowScenario?: Scenario | undefined
  /** The client id the request presents, for overrides aimed at one client. */
  client?: string | undefined
  accountId?: string | undefined
  directive?: MockDirective | undefined
  customerInternalReference?: string | undefined
  userReference?: string | undefined
}

/** The chosen scenario and which rule chose it. */
export interface Resolved {
  scenario: Scenario
  source:
    | 'header'
    | 'override'
    | 'workflow'
    | 'binding'
    | 'directive'
    | 'marker'
    | 'tenant'
    | 'global'
    | 'default'
}

const MARKER = /(?:^|[^a-z0-9-])scenario:([a-z0-9][a-z0-9-]*)/i

/**
 * The scenario that answers a request, highest precedence first:
 * 1. the `X-Mock-Scenario` request header;
 * 2. a one-shot override queued through the admin API (the tenant's, then the global ones): for
 *    a request that creates a workflow execution, also one that names no operation;
 * 3. for a request about a workflow execution, the scenario fixed on it when it was created;
 *    for one that creates a workflow execution, the scenario bound to the account;
 * 4. (creating) Jumio's Mock Service directive in customerInternalReference (jumio-reference §21);
 * 5. (creating) a marker `scenario:<name>` in customerInternalReference or userReference;
 * 6. the tenant's active scenario; 7. the global active scenario; 8. the file's default.
 * An unknown name in the header or a marker is {@link UnknownScenario} (a 400); an override or
 * binding naming a scenario a hot reload removed falls through to the next level.
 *
 * @example resolveScenario({ tenant, operationId: 'createAccount', creating: true, customerInternalReference: 'o-1 scenario:rejected-liveness' }, registry, tenants)
 */
export async function resolveScenario(
  input: ScenarioInput,
  registry: ScenarioRegistry,
  tenants: Tenants,
): Promise<Resolved> {
  if (input.header) return { scenario: registry.require(input.header.trim()), source: 'header' }
  const { tenant, operationId, creating, client } = input
  const override = await tenants.takeOverride(tenant.id, operationId, 'scenario', creating, client)
  const overridden = override?.scenario === undefined ? undefined : registry.find(override.scenario)
  if (overridden) return { scenario: overridden, source: 'override' }
  if (!creating) {
    if (input.workflowScenario) return { scenario: input.workflowScenario, source: 'workflow' }
    return ambient(tenant, registry, tenants)
  }
  const bound = input.accountId === undefined ? undefined : tenant.bindings.get(input.accountId)
  const boundScenario = bound === undefined ? undefined : registry.find(bound)
  if (boundScenario) return { scenario: boundScenario, source: 'binding' }
  const fallback = ambient(tenant, registry, tenants)
  const fromDirective = input.directive && directiveScenario(input.directive, fallback.scenario)
  if (fromDirective) return { scenario: fromDirective, source: 'directive' }
  for (const ref of [input.customerInternalReference, input.userReference]) {
    const name = ref === undefined ? undefined : MARKER.exec(ref)?.[1]
    if (name) return { scenario: registry.require(name.toLowerCase()), source: 'marker' }
  }
  return fallback
}

/** Levels 6–8: the tenant's active scenario, the global one, the file's default. */
export function ambient(
  tenant: Pick<TenantView, 'activeScenario'>,
  registry: ScenarioRegistry,
  tenants: Tenants,
): Resolved & { source: 'tenant' | 'global' | 'default' } {
  // a hot reload may have removed an active scenario: fall through rather than fail every request
  const own = tenant.activeScenario === null ? undefined : registry.find(tenant.activeScenario)
  if (own) return { scenario: own, source: 'tenant' }
  const global =
    tenants.global.activeScenario === null
      ? undefined
      : registry.find(tenants.global.activeScenario)
  if (global) return { scenario: global, source: 'global' }
  return { scenario: registry.default, source: 'default' }
}
