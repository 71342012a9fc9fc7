/**
 * @module docs/admin-api.md's reference part, from contracts/admin.openapi.yaml (the admin API's
 * source of truth, which also types and validates it), so the page cannot drift: an overview of
 * every operation, then each operation's parameters, body and responses, then the schemas.
 */
import { slug } from 'github-slugger'
import { cell } from './markdown.js'

type Json = Record<string, unknown>
const METHODS = ['get', 'put', 'post', 'delete', 'patch']

/** One operation of the contract, with the path and method it sits under. */
interface Operation {
  method: string
  path: string
  op: Json
}

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {})
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** The contract's renderer: resolves `$ref`s within the contract. */
export class AdminApiDoc {
  constructor(private readonly contract: Json) {}

  /** The whole generated part: overview, one section per tag, schemas. */
  render(): string {
    const ops = this.operations()
    const tags = (this.contract['tags'] as Json[] | undefined) ?? []
    const sections = tags.map((tag) => {
      const name = str(tag['name'])
      const own = ops.filter((o) => (o.op['tags'] as string[] | undefined)?.[0] === name)
      const intro = str(tag['description'])
      return [`## ${tagTitle(name)}`, intro, ...own.map((o) => this.operation(o))]
        .filter(Boolean)
        .join('\n\n')
    })
    return [this.overview(ops), ...sections, this.schemas()].join('\n\n')
  }

  private operations(): Operation[] {
    const paths = obj(this.contract['paths'])
    return Object.entries(paths).flatMap(([path, item]) =>
      METHODS.filter((m) => m in obj(item)).map((method) => ({
        method,
        path,
        op: obj(obj(item)[method]),
      })),
    )
  }

  private overview(ops: Operation[]): string {
    const rows = ops.map((o) => {
      const link = `[\`${o.path}\`](#${operationSlug(o)})`
      const tenant = hasTenant(o) ? 'yes' : ''
      return `| \`${o.method.toUpperCase()}\` | ${link} | ${tenant} | ${cell(this.what(o))} |`
    })
    const head = ['| Method | Path | Per tenant | What it does |', '| --- | --- | --- | --- |']
    return [...head, ...rows].join('\n')
  }

  /** What an operation does: its summary, else its first response's description. */
  private what(o: Operation): string {
    const summary = str(o.op['summary'])
    if (summary) return summary
    const first = Object.values(obj(o.op['responses']))[0]
    return str(this.resolve(first)['description'])
  }

  private operation(o: Operation): string {
    const parts = [
      `### \`${o.method.toUpperCase()} ${o.path}\``,
      `\`${str(o.op['operationId'])}\`: ${this.what(o)}.`.replace(/\.\.$/, '.'),
      str(o.op['description']),
      this.parameters(o),
      this.body(o),
      this.responses(o),
    ]
    return parts.filter(Boolean).join('\n\n')
  }

  private parameters(o: Operation): string {
    // the tenant parameter is the overview's "Per tenant" column
    const params = ((o.op['parameters'] as unknown[] | undefined) ?? [])
      .filter((p) => str(obj(p)['$ref']) !== TENANT)
      .map((p) => this.resolve(p))
    if (params.length === 0) return ''
    const rows = params.map(
      (p) =>
        `| \`${str(p['name'])}\` | ${str(p['in'])} | ${cell(this.type(p['schema']))} | ${cell(str(p['description']))} |`,
    )
    return ['| Parameter | In | Type | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n')
  }

  private body(o: Operation): string {
    const body = this.resolve(o.op['requestBody'])
    const schema = obj(obj(obj(body['content'])['application/json'])['schema'])
    if (Object.keys(schema).length === 0) return ''
    const optional = body['required'] === true ? '' : ' (optional)'
    const ref = str(schema['$ref'])
    if (ref) return `Body${optional}: ${this.type(schema)}.`
    const description = str(schema['description'])
    return [`Body${optional}:${description ? ` ${description}` : ''}`, this.fields(schema)].join(
      '\n\n',
    )
  }

  private responses(o: Operation): string {
    const bodies: string[] = []
    const lines = Object.entries(obj(o.op['responses'])).map(([status, r]) => {
      const response = this.resolve(r)
      const schema = obj(obj(obj(response['content'])['application/json'])['schema'])
      const inline = schema['properties'] !== undefined
      if (inline) bodies.push(`The \`${status}\` body:`, this.fields(schema))
      const shape = inline ? ': the body below' : schema['$ref'] ? `: ${this.type(schema)}` : ''
      return `- \`${status}\` ${str(response['description'])}${shape}`
    })
    return ['Responses:', lines.join('\n'), ...bodies].join('\n\n')
  }

  private schemas(): string {
    const schemas = obj(obj(this.contract['components'])['schemas'])
    const sections = Object.entries(schemas).map(([name, s]) => {
      const schema = obj(s)
      const description = str(schema['description'])
      const fields = schema['properties'] ? this.fields(schema) : `${this.type(schema)}.`
      return [`### \`${name}\` schema`, description, fields].filter(Boolean).join('\n\n')
    })
    return ['## Schemas', ...sections].join('\n\n')
  }

  /** A table of an object's fields, nested objects flattened with dotted names. */
  private fields(schema: Json): string {
    const rows = this.fieldRows(schema, '')
    return ['| Field | Type | Required | Meaning |', '| --- | --- | --- | --- |', ...rows].join(
      '\n',
    )
  }

  private fieldRows(schema: Json, prefix: string): string[] {
    const required = new Set((schema['required'] as string[] | undefined) ?? [])
    return Object.entries(obj(schema['properties'])).flatMap(([name, p]) => {
      const prop = obj(p)
      const full = `${prefix}${name}`
      const row = `| \`${full}\` | ${cell(this.type(prop))} | ${required.has(name) ? 'yes' : ''} | ${cell(str(prop['description']))} |`
      const items = obj(prop['items'])
      if (prop['properties']) return [row, ...this.fieldRows(prop, `${full}.`)]
      if (items['properties']) return [row, ...this.fieldRows(items, `${full}[].`)]
      return [row]
    })
  }

  /** A schema's type in words: a link for a named schema, values for an enumeration, bounds. */
  private type(s: unknown): string {
    const schema = obj(s)
    const ref = str(schema['$ref'])
    if (ref) {
      const name = ref.split('/').pop() ?? ref
      return `[\`${name}\`](#${slug(`${name} schema`)})`
    }
    if ('const' in schema) return `\`${JSON.stringify(schema['const'])}\``
    if (Array.isArray(schema['enum'])) {
      return (schema['enum'] as unknown[]).map((v) => `\`${String(v)}\``).join(' | ')
    }
    const type = schema['type']
    const names = Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : []
    let text = names.join(' or ') || (schema['properties'] ? 'object' : 'any')
    if (names.includes('array')) text = `${this.type(schema['items'])}[]`
    return text + bounds(schema)
  }

  private resolve(v: unknown): Json {
    const ref = str(obj(v)['$ref'])
    if (!ref.startsWith('#/')) return obj(v)
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => obj(node)[key], this.contract)
    return this.resolve(target)
  }
}

/** Bounds and default of a number, in words. */
function bounds(schema: Json): string {
  const min = schema['minimum']
  const max = schema['maximum']
  const range =
    typeof min === 'number' && typeof max === 'number'
      ? `, ${String(min)} to ${String(max)}`
      : typeof min === 'number'
        ? `, at least ${String(min)}`
        : ''
  const fallback = 'default' in schema ? `, default ${JSON.stringify(schema['default'])}` : ''
  return range + fallback
}

const TAG_TITLES: Record<string, string> = {
  health: 'Health',
  scenarios: 'Scenarios, overrides and bindings',
  state: 'Workflow executions and reset',
  callbacks: 'Callbacks',
  clock: 'Clock',
  journal: 'Journal and violations',
  credentials: 'API credentials',
}

function tagTitle(tag: string): string {
  return TAG_TITLES[tag] ?? tag
}

const TENANT = '#/components/parameters/Tenant'

function hasTenant(o: Operation): boolean {
  const params = (o.op['parameters'] as unknown[] | undefined) ?? []
  return params.some((p) => str(obj(p)['$ref']) === TENANT)
}

/** The anchor GitHub gives an operation's heading. */
function operationSlug(o: Operation): string {
  return slug(`${o.method.toUpperCase()} ${o.path}`)
}
