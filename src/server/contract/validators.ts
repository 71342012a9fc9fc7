/**
 * @module The contract as code: loads an OpenAPI document once and compiles one JSON Schema
 * validator per operation, request body and response, so that every body can be checked against
 * `contracts/*.openapi.yaml`.
 */
import { readFileSync, statSync } from 'node:fs'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { ajv2020, ajvPlugins, parseYaml } from '../../lazy-packages.js'
import { CONTRACTS_DIR, packageFile } from '../../package-files.js'

/** JSON copies of the contracts written by `npm run build` (parsing YAML costs start-up time). */
const BUILT_DIR = packageFile('dist/contracts/')

/** A contract as data: the build's JSON copy when it is as new as the YAML, else the YAML. */
export function readContract(name: string): Json {
  const yamlPath = `${CONTRACTS_DIR}${name}.openapi.yaml`
  const jsonPath = `${BUILT_DIR}${name}.openapi.json`
  try {
    if (statSync(jsonPath).mtimeMs >= statSync(yamlPath).mtimeMs) {
      return JSON.parse(readFileSync(jsonPath, 'utf8')) as Json
    }
  } catch {
    // no JSON copy (running from src/): read the YAML
  }
  return parseYaml(readFileSync(yamlPath, 'utf8')) as Json
}

/** An Ajv instance holding `doc` under `key`, with formats and `errorMessage`. */
function newCompiler(doc: Json, key: string): Ajv2020 {
  const Ajv = ajv2020()
  const { addFormats, addErrors } = ajvPlugins()
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false })
  addFormats(ajv)
  // `errorMessage` in a schema states the rule a client must follow, in place of what the
  // schema's machinery found (a pattern, an anyOf branch)
  addErrors(ajv)
  ajv.addFormat('binary', true)
  ajv.addSchema(doc, key)
  return ajv
}

/** One schema violation, with the JSON pointer of the offending value. */
export interface SchemaViolation {
  pointer: string
  message: string
}

/**
 * A body's validator, compiled on first use (compiling every schema up front took start-up to
 * seconds), or null where the contract declares a body it does not describe (images).
 */
type Validator = (() => ValidateFunction) | null

/** Everything the contract says about one operation. */
export interface ContractOperation {
  operationId: string
  method: string
  path: string
  requests: Map<string, Validator>
  responses: Map<string, Map<string, Validator>>
  /** The query parameters, by name, with the JSON pointer of each one's schema. */
  query: Map<string, { required: boolean; schemaAt: string }>
  /** The operation's `x-` fields (facts the mock needs about it), by name without `x-`. */
  extensions: Record<string, unknown>
}

type Json = Record<string, unknown>
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']

/** A compiled contract: look up operations and validate bodies by operationId. */
export class Contract {
  readonly operations = new Map<string, ContractOperation>()
  private compiler: Ajv2020 | undefined
  private readonly doc: Json
  private readonly key: string
  /** Query validators, compiled on first use. */
  private readonly queries = new Map<string, ValidateFunction>()
  /** operationIds whose request body is optional (`requestBody.required` is not true). */
  private readonly optionalBodies = new Set<string>()

  constructor(doc: Json, key: string) {
    this.doc = doc
    this.key = key
    const paths = (doc['paths'] ?? {}) as Record<string, Json>
    for (const [path, item] of Object.entries(paths)) {
      for (const method of METHODS) {
        const op = item[method] as Json | undefined
        if (!op) continue
        const base = `#/paths/${escapePointer(path)}/${method}`
        const operationId = String(op['operationId'])
        if (op['requestBody'] && this.follow(op['requestBody']).node['required'] !== true) {
          this.optionalBodies.add(operationId)
        }
        this.operations.set(operationId, {
          operationId,
          method: method.toUpperCase(),
          path,
          requests: this.compileContent(key, op['requestBody'], `${base}/requestBody`),
          query: this.queryParameters([
            ...((item['parameters'] ?? []) as unknown[]).map(
              (p, i) => [p, `#/paths/${escapePointer(path)}/parameters/${String(i)}`] as const,
            ),
            ...((op['parameters'] ?? []) as unknown[]).map(
              (p, i) => [p, `${base}/parameters/${String(i)}`] as const,
            ),
          ]),
          responses: this.compileResponses(key, op['responses'] as Json | undefined, base),
          extensions: Object.fromEntries(
            Object.entries(op)
              .filter(([name]) => name.startsWith('x-'))
              .map(([name, value]) => [name.slice(2), value]),
          ),
        })
      }
    }
  }

  /**
   * The schema compiler, made on first use: adding ajv-errors compiles its keyword's schema,
   * about 20 ms of start-up for each contract (measured), and a mock may serve no body at all.
   */
  private get ajv(): Ajv2020 {
    this.compiler ??= newCompiler(this.doc, this.key)
    return this.compiler
  }

  /** Loads and compiles `contracts/<name>.openapi.yaml`. */
  static load(name: string): Contract {
    return new Contract(readContract(name), name)
  }

  /** Validates a JSON value against a named component schema (`#/components/schemas/<name>`). */
  validateSchema(name: string, value: unknown): SchemaViolation[] {
    const validate = this.ajv.getSchema(`${this.key}#/components/schemas/${name}`)
    if (!validate) throw new Error(`contract has no schema ${name}`)
    return validate(value) ? [] : toViolations(validate.errors)
  }

  /**
   * Validates a request body; an undeclared content type is itself a violation. A request without
   * a body (no content type, no value) is fine where the contract's request body is optional.
   */
  validateRequest(operationId: string, contentType: string, body: unknown): SchemaViolation[] {
    const op = this.requireOperation(operationId)
    const absent =
      mediaType(contentType) === '' && (body === undefined || body === null || body === '')
    if (absent && this.optionalBodies.has(operationId)) return []
    return check(op.requests, contentType, body, `${operationId} request`)
  }

  /**
   * Validates a query string's declared parameters (numbers and booleans read from their text);
   * parameters the operation does not declare are ignored.
   */
  validateQuery(operationId: string, query: Record<string, string>): SchemaViolation[] {
    const op = this.requireOperation(operationId)
    if (op.query.size === 0) return []
    let validate = this.queries.get(operationId)
    if (!validate) {
      const properties: Json = {}
      const required: string[] = []
      for (const [name, p] of op.query) {
        properties[name] = { $ref: `${this.key}${p.schemaAt}` }
        if (p.required) required.push(name)
      }
      validate = this.ajv.compile({ type: 'object', properties, required })
      this.queries.set(operationId, validate)
    }
    const values: Json = {}
    for (const [name, p] of op.query) {
      const text = query[name]
      if (text !== undefined) values[name] = this.typed(p.schemaAt, text)
    }
    return validate(values) ? [] : toViolations(validate.errors)
  }

  /** A query value as its schema's type reads it: `3` an integer, `true` a boolean. */
  private typed(schemaAt: string, text: string): unknown {
    const type = this.follow({ $ref: schemaAt }).node['type']
    if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text))
      return Number(text)
    if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true'
    return text
  }

  /** The query parameters of a list of (maybe `$ref`) parameter objects. */
  private queryParameters(list: (readonly [unknown, string])[]) {
    const out = new Map<string, { required: boolean; schemaAt: string }>()
    for (const [node, pointer] of list) {
      const { node: p, at } = this.follow(node, pointer)
      if (p['in'] !== 'query') continue
      out.set(String(p['name']), { required: p['required'] === true, schemaAt: `${at}/schema` })
    }
    return out
  }

  /**
   * Validates a response; an undeclared status or content type is itself a violation. `open`
   * also takes what Jumio leaves open where the contract declares the mock's choice (verify
   * against a target that is not a jumio-mock): an empty object where no body is declared ([I]
   * §13, a deletion's), and application/problem+json for an error's JSON ([I] §15).
   */
  validateResponse(
    operationId: string,
    status: number,
    contentType: string,
    body: unknown,
    open = false,
  ): SchemaViolation[] {
    const op = this.requireOperation(operationId)
    // OpenAPI §4.8.16.2: an exact code wins over a range ("4XX"), which wins over "default".
    const byType =
      op.responses.get(String(status)) ??
      op.responses.get(`${String(status).charAt(0)}XX`) ??
      op.responses.get('default')
    if (!byType) {
      return [{ pointer: '', message: `${operationId} does not declare status ${status}` }]
    }
    const problemJson = open && status >= 400 && mediaType(contentType) === PROBLEM_JSON
    const type = problemJson ? JSON_TYPE : contentType
    return check(byType, type, body, `${operationId} ${status} response`, open)
  }

  private requireOperation(operationId: string): ContractOperation {
    const op = this.operations.get(operationId)
    if (!op) throw new Error(`contract has no operation ${operationId}`)
    return op
  }

  private compileResponses(key: string, responses: Json | undefined, base: string) {
    const out = new Map<string, Map<string, Validator>>()
    for (const [status, response] of Object.entries(responses ?? {})) {
      out.set(status, this.compileContent(key, response, `${base}/responses/${status}`))
    }
    return out
  }

  /** Follows a `$ref` to a reusable response or body, then compiles each media type's schema. */
  private compileContent(key: string, node: unknown, pointer: string): Map<string, Validator> {
    const out = new Map<string, Validator>()
    if (!node) return out
    const { node: target, at } = this.follow(node, pointer)
    const content = (target['content'] ?? {}) as Record<string, Json>
    for (const [type, media] of Object.entries(content)) {
      const schemaAt = `${at}/content/${escapePointer(type)}/schema`
      let compiled: ValidateFunction | undefined
      out.set(
        type,
        isJsonType(type) && media['schema']
          ? () => (compiled ??= this.ajv.compile({ $ref: `${key}${schemaAt}` }))
          : null,
      )
    }
    return out
  }

  /** Follows a chain of `$ref`s (a reusable response may itself be a `$ref`) to the real node. */
  private follow(node: unknown, pointer = ''): { node: Json; at: string } {
    let target = node as Json
    let at = pointer
    for (let hops = 0; hops <= 16; hops++) {
      const ref = target['$ref']
      if (typeof ref !== 'string') return { node: target, at }
      at = ref
      target = resolvePointer(this.doc, ref)
    }
    throw new Error(`contract $ref chain at ${pointer} does not end`)
  }
}

/** The media type of a Content-Type, its parameters and letter case aside ('' for none). */
export function mediaType(contentType: string | undefined): string {
  return contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
}

const JSON_TYPE = 'application/json'
const PROBLEM_JSON = 'application/problem+json'

function check(
  byType: Map<string, Validator>,
  contentType: string,
  body: unknown,
  what: string,
  open = false,
) {
  const type = mediaType(contentType)
  if (byType.size === 0) {
    const empty = open && isJsonType(type) && isEmptyObject(body)
    return type === '' || empty
      ? []
      : [{ pointer: '', message: `${what} declares no body, got ${type}` }]
  }
  if (!byType.has(type)) {
    const declared = [...byType.keys()].join(', ')
    return [
      { pointer: '', message: `${what} has content type "${type}", contract declares ${declared}` },
    ]
  }
  const validate = byType.get(type)?.()
  if (!validate) return []
  return validate(body) ? [] : toViolations(validate.errors)
}

function isEmptyObject(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.keys(body).length === 0
  )
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json')
}

function toViolations(errors: ErrorObject[] | null | undefined): SchemaViolation[] {
  return (errors ?? []).map((e) => ({
    pointer: e.instancePath,
    message: `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${formatParams(e)}`,
  }))
}

function formatParams(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>
  if (e.keyword === 'additionalProperties') return ` (${String(params['additionalProperty'])})`
  if (e.keyword === 'enum') return ` (${(params['allowedValues'] as unknown[]).join(', ')})`
  return ''
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

function resolvePointer(doc: Json, ref: string): Json {
  const segments = ref.replace(/^#\//, '').split('/')
  let node: unknown = doc
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    node = (node as Json)[segment]
    if (node === undefined) throw new Error(`contract $ref ${ref} does not resolve`)
  }
  return node as Json
}
