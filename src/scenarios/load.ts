/**
 * @module Reads `scenarios.yaml`, validates it against `contracts/scenarios.schema.json` and
 * fails with the file, the path inside it and the problem.
 */
import { readFileSync } from 'node:fs'
import { parseYaml } from '../lazy-packages.js'
import { packageFile } from '../package-files.js'
import type { ValidateFunction } from 'ajv'
import { MAX_DURATION_MS, MAX_TIMER_MS, parseDuration } from '../duration.js'
import { BUILT_IN_DEFINITIONS } from '../model/workflow-definitions.js'
import type { CapabilityName, WorkflowDefinition } from '../model/workflow-definitions.js'
import { labelAllowed } from './labels.js'
import compiledValidator from './schema-validator.gen.js'
import type { CapabilityOutcome, Fault, Scenario, Timing } from './types.js'

/** A loaded, valid scenarios file. */
export interface ScenarioFile {
  path: string
  default: string
  scenarios: Map<string, Scenario>
  /** Tenant-configured workflow definition keys, each a copy of a built-in one. */
  workflowDefinitions?: WorkflowDefinition[]
}

/** Why a scenarios file was refused. */
export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError'
}

// compiled ahead of time from contracts/scenarios.schema.json (`npm run gen:types`)
const validator = compiledValidator as unknown as ValidateFunction

function validate(data: unknown) {
  return validator(data) ? [] : (validator.errors ?? [])
}

/**
 * What `npm run build` parsed the shipped scenarios file to (dist/scenarios.json), when `text` is
 * that file's very text: parsing it as YAML was a tenth of start-up (about 20 ms, measured).
 */
function builtParse(text: string): unknown {
  try {
    const built = JSON.parse(readFileSync(packageFile('dist/scenarios.json'), 'utf8')) as {
      source: string
      data: unknown
    }
    return built.source === text ? built.data : undefined
  } catch {
    return undefined // not built (running from src/)
  }
}

/** Parses and validates scenarios from YAML text. */
export function parseScenarios(text: string, path: string): ScenarioFile {
  let data: unknown
  try {
    data = builtParse(text) ?? parseYaml(text)
  } catch (err) {
    // the parser's first line; the rest is a picture of the line it failed on
    const reason = (err as Error).message.split('\n')[0] ?? ''
    throw new ScenarioFileError(`${path}: not valid YAML: ${reason}`)
  }
  return scenarioFile(data, path)
}

/** Validates scenarios given as data (the file's format), e.g. inline in `startMockJumio`. */
export function scenarioFile(data: unknown, path: string): ScenarioFile {
  const errors = validate(data)
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  at ${e.instancePath || '/'}: ${e.message ?? 'invalid'}${describeParams(e.params)}`,
    )
    throw new ScenarioFileError(`${path}: invalid scenarios file\n${lines.join('\n')}`)
  }
  const file = data as {
    default: string
    scenarios: Record<string, RawScenario>
    workflowDefinitions?: Record<string, { extends: string; name?: string }>
  }
  const scenarios = new Map<string, Scenario>()
  for (const [name, raw] of Object.entries(file.scenarios)) {
    const problems = labelProblems(raw).map((p) => `  at /scenarios/${name}/${p}`)
    if (problems.length > 0) {
      throw new ScenarioFileError(`${path}: invalid scenarios file\n${problems.join('\n')}`)
    }
    try {
      scenarios.set(name, normalise(name, raw))
    } catch (err) {
      if (!(err instanceof RangeError)) throw err
      throw new ScenarioFileError(
        `${path}: invalid scenarios file\n  at /scenarios/${name}: ${err.message}`,
      )
    }
  }
  if (!scenarios.has(file.default)) {
    throw new ScenarioFileError(
      `${path}: at /default: "${file.default}" is not one of the scenarios (${[...scenarios.keys()].join(', ')})`,
    )
  }
  return {
    path,
    default: file.default,
    scenarios,
    workflowDefinitions: definitions(path, file.workflowDefinitions ?? {}),
  }
}

/** Reads and validates a scenarios file. */
export function loadScenarios(path: string): ScenarioFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ScenarioFileError(`${path}: cannot read: ${(err as Error).message}`)
  }
  return parseScenarios(text, path)
}

function describeParams(params: Record<string, unknown>): string {
  if ('additionalProperty' in params) return ` (${String(params['additionalProperty'])})`
  if ('allowedValues' in params) return ` (${(params['allowedValues'] as unknown[]).join(', ')})`
  return ''
}

type Duration = string | number
interface RawFault extends Omit<Fault, 'operations' | 'clients' | 'latency'> {
  operation?: string | string[]
  client?: string | string[]
  latency?: Duration | { min: Duration; max: Duration }
}
type RawScenario = Omit<Scenario, 'name' | 'timing' | 'faults' | 'callbacks'> & {
  timing?: Record<keyof Timing, Duration>
  faults?: RawFault[]
  callbacks?: { duplicate?: boolean; outOfOrder?: boolean; extraDelay?: Duration }
}

/** A duration of the file in ms, at most `max` (a year; one timer's wait for a latency). */
const ms = (d: Duration, max = MAX_DURATION_MS): number =>
  parseDuration(typeof d === 'number' ? String(d) : d, max)

/** Durations to milliseconds, single values to lists. */
function normalise(name: string, raw: RawScenario): Scenario {
  const { timing, faults, callbacks, ...rest } = raw
  const scenario: Scenario = { name, ...rest }
  if (timing) {
    scenario.timing = Object.fromEntries(
      Object.entries(timing).map(([k, v]) => [
        k,
        k === 'processAfterStatusReads' ? Number(v) : ms(v),
      ]),
    )
  }
  if (faults) scenario.faults = faults.map(normaliseFault)
  if (callbacks) {
    const { extraDelay, ...flags } = callbacks
    scenario.callbacks = {
      ...flags,
      ...(extraDelay !== undefined && { extraDelay: ms(extraDelay) }),
    }
  }
  return scenario
}

function normaliseFault(raw: RawFault): Fault {
  const { operation, client, latency, ...rest } = raw
  const fault: Fault = { ...rest }
  if (operation !== undefined) fault.operations = Array.isArray(operation) ? operation : [operation]
  if (client !== undefined) fault.clients = Array.isArray(client) ? client : [client]
  if (latency !== undefined) {
    fault.latency =
      typeof latency === 'object'
        ? { min: ms(latency.min, MAX_TIMER_MS), max: ms(latency.max, MAX_TIMER_MS) }
        : { min: ms(latency, MAX_TIMER_MS), max: ms(latency, MAX_TIMER_MS) }
  }
  return fault
}

/** [D] a capability's label must be one it shows with that decision type (jumio-reference §11). */
function labelProblems(raw: RawScenario): string[] {
  const out: string[] = []
  for (const [capability, value] of Object.entries(raw.capabilities ?? {})) {
    const list: CapabilityOutcome[] = Array.isArray(value) ? value : [value]
    list.forEach((o, i) => {
      if (!labelAllowed(capability as CapabilityName, o.type, o.label)) {
        const at = Array.isArray(value)
          ? `capabilities/${capability}/${i}`
          : `capabilities/${capability}`
        out.push(
          `${at}: ${capability} does not show label ${o.label} with decision ${o.type} (jumio-reference §11)`,
        )
      }
    })
  }
  return out
}

/** Resolves configured keys against the built-in definitions they extend. */
function definitions(
  path: string,
  raw: Record<string, { extends: string; name?: string }>,
): WorkflowDefinition[] {
  return Object.entries(raw).map(([key, d]) => {
    const base = BUILT_IN_DEFINITIONS.find((b) => b.key === d.extends)
    if (!base) {
      const known = BUILT_IN_DEFINITIONS.map((b) => b.key).join(', ')
      throw new ScenarioFileError(
        `${path}: at /workflowDefinitions/${key}/extends: "${d.extends}" is not a built-in key (${known})`,
      )
    }
    return { ...base, key, name: d.name ?? `${base.name} (as ${key})` }
  })
}
