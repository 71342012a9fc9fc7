/**
 * @module Reads `scenarios.yaml`, validates it against `contracts/scenarios.schema.json` and
 * fails with the file, the path inside it and the problem (ARCHITECTURE "Scenarios").
 */
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { CONTRACTS_DIR } from '../server/contract/validators.js'
import type { Scenario } from './types.js'

/** A loaded, valid scenarios file. */
export interface ScenarioFile {
  path: string
  default: string
  scenarios: Map<string, Scenario>
}

/** Why a scenarios file was refused. */
export class ScenarioFileError extends Error {
  override name = 'ScenarioFileError'
}

let validator: ReturnType<Ajv2020['compile']> | undefined

function validate(data: unknown) {
  validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(`${CONTRACTS_DIR}scenarios.schema.json`, 'utf8')) as object,
  )
  return validator(data) ? [] : (validator.errors ?? [])
}

/** Parses and validates scenarios from YAML text. */
export function parseScenarios(text: string, path: string): ScenarioFile {
  let data: unknown
  try {
    data = parse(text)
  } catch (err) {
    throw new ScenarioFileError(`${path}: not valid YAML: ${(err as Error).message}`)
  }
  const errors = validate(data)
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  at ${e.instancePath || '/'}: ${e.message ?? 'invalid'}${describeParams(e.params)}`,
    )
    throw new ScenarioFileError(`${path}: invalid scenarios file\n${lines.join('\n')}`)
  }
  const file = data as { default: string; scenarios: Record<string, Omit<Scenario, 'name'>> }
  const scenarios = new Map(
    Object.entries(file.scenarios).map(([name, s]) => [name, { name, ...s }]),
  )
  if (!scenarios.has(file.default)) {
    throw new ScenarioFileError(
      `${path}: at /default: "${file.default}" is not one of the scenarios (${[...scenarios.keys()].join(', ')})`,
    )
  }
  return { path, default: file.default, scenarios }
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
