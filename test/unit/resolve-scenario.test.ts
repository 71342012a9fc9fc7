/**
 * The order of precedence of `resolveScenario`, without a server: for each level, every level
 * below it is set too, and that level must win; an override or binding naming a scenario a
 * reload removed falls through; a creating request uses up the override it takes.
 */
import { describe, expect, it } from 'vitest'
import { parseScenarios } from '../../src/scenarios/load.js'
import { ScenarioRegistry } from '../../src/scenarios/registry.js'
import { resolveScenario } from '../../src/server/domain/choose-scenario.js'
import type { Resolved, ScenarioInput } from '../../src/server/domain/choose-scenario.js'
import { Clock } from '../../src/server/domain/clock.js'
import { Tenants } from '../../src/server/domain/tenants.js'

const FILE = `
version: 1
default: base
scenarios:
  base: { description: the file's default }
  s-header: { description: named by the header }
  s-override: { description: queued through the admin API }
  s-binding: { description: bound to the account }
  s-marker: { description: named by a marker }
  s-tenant: { description: the tenant's active one }
  s-global: { description: the global active one }
`
const LEVELS = ['header', 'override', 'binding', 'directive', 'marker', 'tenant', 'global'] as const
type Level = (typeof LEVELS)[number]

/** A registry, tenants and the input of a creating request with `levels` set. */
function setUp(levels: readonly Level[]) {
  const registry = new ScenarioRegistry(parseScenarios(FILE, 'test.yaml'))
  const tenants = new Tenants(new Clock({ start: 0, frozen: true }))
  const has = (level: Level) => levels.includes(level)
  // in one process a change is made at once (a shared backend's would be awaited)
  if (has('override'))
    void tenants.addOverride('acme', { id: 'o', scenario: 's-override', remaining: 1 })
  if (has('binding')) void tenants.bind('acme', 'acc-1', 's-binding')
  if (has('tenant')) void tenants.setActive('acme', 's-tenant')
  if (has('global')) void tenants.setActive(undefined, 's-global')
  const reference = has('directive')
    ? 'ignored, the directive has its own'
    : has('marker')
      ? 'order-1 scenario:s-marker'
      : 'order-1'
  const input: ScenarioInput = {
    header: has('header') ? 's-header' : undefined,
    tenant: tenants.view('acme'),
    operationId: 'createAccount',
    creating: true,
    accountId: 'acc-1',
    customerInternalReference: reference,
    directive: has('directive')
      ? { customerInternalReference: 'x scenario:s-marker', decisionLabel: 'NFC_CERTIFICATE' }
      : undefined,
    userReference: has('marker') ? 'scenario:s-marker' : undefined,
  }
  return { registry, tenants, input }
}

const WINNER: Record<Level, [Resolved['source'], string]> = {
  header: ['header', 's-header'],
  override: ['override', 's-override'],
  binding: ['binding', 's-binding'],
  directive: ['directive', 'mock-service:NFC_CERTIFICATE'],
  marker: ['marker', 's-marker'],
  tenant: ['tenant', 's-tenant'],
  global: ['global', 's-global'],
}

describe('resolveScenario, highest precedence first', () => {
  it.each(LEVELS.map((level, i) => [level, LEVELS.slice(i)] as const))(
    '%s wins over every level below it',
    async (level, present) => {
      const { registry, tenants, input } = setUp(present)
      const { scenario, source } = await resolveScenario(input, registry, tenants)
      expect([source, scenario.name]).toEqual(WINNER[level])
    },
  )

  it("the file's default when nothing else chooses", async () => {
    const { registry, tenants, input } = setUp([])
    expect(await resolveScenario(input, registry, tenants)).toMatchObject({
      source: 'default',
      scenario: { name: 'base' },
    })
  })

  it('a creating request uses up the override it takes; the next one falls to the level below', async () => {
    const { registry, tenants, input } = setUp(['override', 'tenant'])
    expect((await resolveScenario(input, registry, tenants)).source).toBe('override')
    expect((await resolveScenario(input, registry, tenants)).source).toBe('tenant')
  })

  it.each([
    ['an override', 's-override', ['override', 'tenant'], 'tenant'],
    ['a binding', 's-binding', ['binding', 'tenant'], 'tenant'],
    ["the tenant's active scenario", 's-tenant', ['tenant', 'global'], 'global'],
    ['the global active scenario', 's-global', ['global'], 'default'],
  ] as const)(
    '%s naming a scenario a reload removed falls through',
    async (_, removed, present, next) => {
      const { registry, tenants, input } = setUp(present)
      const kept = registry.names().filter((n) => n !== removed)
      const scenarios = new Map(kept.map((n) => [n, registry.require(n)]))
      registry.replace({ path: 'test.yaml', default: 'base', scenarios })
      expect((await resolveScenario(input, registry, tenants)).source).toBe(next)
    },
  )

  it('an unknown name in the header or a marker is a 400 naming the known scenarios', async () => {
    const { registry, tenants, input } = setUp([])
    await expect(resolveScenario({ ...input, header: 'nope' }, registry, tenants)).rejects.toThrow(
      /Unknown scenario "nope"; known scenarios: base, s-header/,
    )
    const marked = { ...input, customerInternalReference: 'scenario:nope' }
    await expect(resolveScenario(marked, registry, tenants)).rejects.toThrow(
      /Unknown scenario "nope"/,
    )
  })
})

describe('resolveScenario for a request that creates nothing', () => {
  /** A status read of a workflow execution created with `s-binding`, with `levels` set. */
  async function readWith(levels: ('header' | 'override' | 'any-override' | 'tenant')[]) {
    const { registry, tenants, input } = setUp(levels.includes('tenant') ? ['tenant'] : [])
    const over = (operation?: string) => ({
      id: 'o',
      scenario: 's-override',
      remaining: 1,
      ...(operation && { operation }),
    })
    if (levels.includes('override'))
      await tenants.addOverride('acme', over('getWorkflowExecutionStatus'))
    if (levels.includes('any-override')) await tenants.addOverride('acme', over())
    const read = {
      ...input,
      operationId: 'getWorkflowExecutionStatus',
      creating: false,
      header: levels.includes('header') ? 's-header' : undefined,
      workflowScenario: registry.require('s-binding'),
      customerInternalReference: 'order-1 scenario:s-marker',
    }
    return { registry, tenants, read }
  }

  it.each([
    ['the header', ['header', 'override', 'tenant'], 'header', 's-header'],
    ['an override queued for this operation', ['override', 'tenant'], 'override', 's-override'],
    ["the workflow execution's own scenario", ['tenant'], 'workflow', 's-binding'],
    [
      'an override for no operation does not apply',
      ['any-override', 'tenant'],
      'workflow',
      's-binding',
    ],
  ] as const)('%s', async (_, levels, source, name) => {
    const { registry, tenants, read } = await readWith([...levels])
    const resolved = await resolveScenario(read, registry, tenants)
    expect([resolved.source, resolved.scenario.name]).toEqual([source, name])
  })

  it("without a workflow execution: the tenant's, the global, then the default scenario", async () => {
    const { registry, tenants, read } = await readWith(['tenant'])
    const token = { ...read, workflowScenario: undefined }
    expect((await resolveScenario(token, registry, tenants)).source).toBe('tenant')
  })
})
