import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadScenarios, parseScenarios, scenarioFile } from '../../src/scenarios/load.js'
import { ScenarioRegistry } from '../../src/scenarios/registry.js'
import { reload, watchScenarios } from '../../src/scenarios/watch.js'
import type { Logger } from '../../src/logger.js'

const GOOD = `version: 1
default: ok
scenarios:
  ok: { description: fine }
`

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = []
  const push = (msg: string, fields?: Record<string, unknown>) =>
    lines.push(`${msg} ${JSON.stringify(fields ?? {})}`)
  return { lines, info: push, warn: push, error: push }
}

describe('loading scenarios.yaml', () => {
  it('refuses durations over a year, and a fault latency over one timer (about 24 days)', () => {
    // regression: accepted, then dates overflowed (500s) or the latency fired at once
    const file = (scenario: string) => `default: x
scenarios:
  x: ${scenario}
`
    expect(() =>
      parseScenarios(file('{ description: d, timing: { processingDelay: 100000000d } }'), 'f.yaml'),
    ).toThrow('at /scenarios/x: "100000000d" is longer than 365d')
    expect(() =>
      parseScenarios(
        file('{ description: d, faults: [{ operation: createAccount, latency: 30d }] }'),
        'f.yaml',
      ),
    ).toThrow('is longer than 24d')
    expect(
      parseScenarios(
        file('{ description: d, timing: { tokenLifetime: 60d } }'),
        'f.yaml',
      ).scenarios.get('x')?.timing?.tokenLifetime,
    ).toBe(60 * 86_400_000)
  })

  it('normalises durations to milliseconds and fault operations to lists', () => {
    const file = parseScenarios(
      `default: slow
scenarios:
  slow:
    description: slow
    timing: { processingDelay: 2m, callbackDelay: 1500 }
    faults: [{ operation: createAccount, status: 429, latency: { min: 10ms, max: 1s } }]
`,
      'x.yaml',
    )
    expect(file.scenarios.get('slow')).toEqual({
      name: 'slow',
      description: 'slow',
      timing: { processingDelay: 120_000, callbackDelay: 1500 },
      faults: [{ operations: ['createAccount'], status: 429, latency: { min: 10, max: 1000 } }],
    })
  })

  it.each([
    ['not YAML', 'default: [', 'x.yaml: not valid YAML'],
    [
      'a missing description',
      'default: a\nscenarios:\n  a: {}\n',
      "x.yaml: invalid scenarios file\n  at /scenarios/a: must have required property 'description'",
    ],
    [
      'an unknown key',
      'default: a\nscenarios:\n  a: { description: d, colour: red }\n',
      'at /scenarios/a: must NOT have additional properties (colour)',
    ],
    [
      'a wrong decision type',
      'default: a\nscenarios:\n  a: { description: d, decision: { type: MAYBE } }\n',
      'at /scenarios/a/decision/type: must be equal to one of the allowed values (PASSED, WARNING, REJECTED, NOT_EXECUTED)',
    ],
    [
      'a label the capability never shows',
      'default: a\nscenarios:\n  a: { description: d, capabilities: { similarity: { type: REJECTED, label: FAKE } } }\n',
      'at /scenarios/a/capabilities/similarity: similarity does not show label FAKE with decision REJECTED (jumio-reference §11)',
    ],
    [
      'a default that is not a scenario',
      'default: b\nscenarios:\n  a: { description: d }\n',
      'x.yaml: at /default: "b" is not one of the scenarios (a)',
    ],
    [
      'a bad duration',
      'default: a\nscenarios:\n  a: { description: d, timing: { processingDelay: soon } }\n',
      'at /scenarios/a/timing/processingDelay',
    ],
    [
      'a Retry-After of 1e300 seconds',
      'default: a\nscenarios:\n  a: { description: d, faults: [{ status: 503, retryAfter: 1e300 }] }\n',
      'at /scenarios/a/faults/0/retryAfter: must be <= 86400',
    ],
    [
      'a fault for 1e308 requests',
      'default: a\nscenarios:\n  a: { description: d, faults: [{ status: 500, times: 1e308 }] }\n',
      'at /scenarios/a/faults/0/times: must be <= 1000000',
    ],
  ])('refuses %s, naming the file, the path and the problem', (_what, text, message) => {
    expect(() => parseScenarios(text, 'x.yaml')).toThrow(message)
  })

  it('names a file that cannot be read', () => {
    expect(() => loadScenarios('/nonexistent/scenarios.yaml')).toThrow(
      '/nonexistent/scenarios.yaml: cannot read',
    )
  })
})

describe('hot reload', () => {
  it('takes a good change and keeps the last good set on a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'))
    const path = join(dir, 'scenarios.yaml')
    writeFileSync(path, GOOD)
    const registry = new ScenarioRegistry(loadScenarios(path))
    const log = recorder()
    writeFileSync(
      path,
      GOOD.replace(
        'ok: { description: fine }',
        'ok: { description: fine }\n  more: { description: more }',
      ),
    )
    expect(reload(registry, log)).toBe(true)
    expect(registry.names()).toEqual(['ok', 'more'])
    writeFileSync(path, 'default: gone\nscenarios: {}\n')
    expect(reload(registry, log)).toBe(false)
    expect(registry.names()).toEqual(['ok', 'more'])
    expect(log.lines.at(-1)).toContain('keeping the last good set')
  })

  it('notices a change to the file by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'))
    const path = join(dir, 'scenarios.yaml')
    writeFileSync(path, GOOD)
    const registry = new ScenarioRegistry(loadScenarios(path))
    const stop = watchScenarios(registry, recorder(), 10)
    try {
      writeFileSync(path, GOOD.replace('fine', 'changed'))
      const until = Date.now() + 3000
      while (registry.default.description !== 'changed' && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20))
      expect(registry.default.description).toBe('changed')
    } finally {
      stop()
    }
  })
})

describe("the build's parsed copy of the shipped scenarios file", () => {
  const shipped = readFileSync(new URL('../../scenarios.yaml', import.meta.url), 'utf8')

  it('gives what parsing the YAML gives, and is used for that very text only', () => {
    expect(existsSync(new URL('../../dist/scenarios.json', import.meta.url))).toBe(true)
    const fromCopy = parseScenarios(shipped, 'shipped')
    expect(fromCopy).toEqual(scenarioFile(parse(shipped), 'shipped'))
    // one changed description: the file's own text wins over the copy
    const [first, scenario] = [...fromCopy.scenarios][0] ?? []
    const edited = shipped.replace(scenario?.description ?? '', 'edited here')
    expect(edited).not.toBe(shipped)
    expect(parseScenarios(edited, 'edited').scenarios.get(first ?? '')?.description).toBe(
      'edited here',
    )
  })
})
