/**
 * @module Packages the mock needs only for some work, loaded from node_modules on first use
 * instead of being bundled into dist/main.js and evaluated at every start: YAML (the build
 * keeps JSON copies of the contracts and the shipped scenarios file) and Ajv (schemas compile
 * when a body is first checked). Together they were a quarter of the bundle and about 15 ms of
 * start-up (measured with a CPU profile of a start). `require` of a CommonJS package is
 * synchronous, so their callers stay synchronous.
 */
import type { Ajv2020 } from 'ajv/dist/2020.js'
import type * as Yaml from 'yaml'
import { createRequire } from 'node:module'

const load = createRequire(import.meta.url)

/** The `yaml` package's `parse`. */
export function parseYaml(text: string): unknown {
  return (load('yaml') as typeof Yaml).parse(text)
}

/** Ajv's JSON Schema 2020-12 class. */
export function ajv2020(): typeof Ajv2020 {
  return (load('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020
}

/** ajv-formats and ajv-errors, each adding its keywords to an Ajv instance. */
export function ajvPlugins(): {
  addFormats: (ajv: Ajv2020) => Ajv2020
  addErrors: (ajv: Ajv2020) => Ajv2020
} {
  return {
    addFormats: load('ajv-formats') as (ajv: Ajv2020) => Ajv2020,
    addErrors: load('ajv-errors') as (ajv: Ajv2020) => Ajv2020,
  }
}
