/**
 * @module The rules of an account create/update body beyond its schema ([D] jumio-reference §4.2,
 * §4.3), turned into the parameters of a new workflow execution. Each broken rule is a 400
 * problem that names the field.
 */
import { problem } from '../errors.js'
import type { MockDirective } from '../../model/mock-directive.js'
import type { DefinitionCatalogue, WorkflowDefinition } from '../../model/workflow-definitions.js'

/** A requested credential ([D] jumio-reference §4.3). */
interface RequestedCredential {
  category?: string
  country?: { values?: string[] }
  type?: { values?: string[] }
}

/** The account request as the schema has already checked it. */
export interface AccountRequestBody {
  customerInternalReference: string
  userReference?: string
  reportingCriteria?: string
  callbackUrl?: string
  tokenLifetime?: string
  workflowDefinition: { key: number | string; credentials?: RequestedCredential[] }
  web?: { successUrl?: string; errorUrl?: string; locale?: string }
}

/** What a new workflow execution needs from the request. */
export interface AccountParams {
  definition: WorkflowDefinition
  customerInternalReference: string
  directive?: MockDirective
  userReference?: string
  reportingCriteria?: string
  callbackUrl?: string
  tokenLifetimeMs: number
  web: { successUrl?: string; errorUrl?: string; locale: string }
  requested: RequestedCredential[]
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
/** [D] tokenLifetime bounds: 5m to 60d, default 30m (jumio-reference §3.3, §4.2). */
export const TOKEN_LIFETIME = { min: 5 * 60_000, max: 60 * 86_400_000, default: 30 * 60_000 }

/** Parses a `tokenLifetime` such as `30m` or `1d` into milliseconds, within Jumio's bounds. */
export function parseTokenLifetime(value: string): number {
  const m = /^([+-]?\d+)([smhd])$/.exec(value)
  if (!m) throw problem.badRequest('tokenLifetime must be a number followed by s, m, h or d')
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]
  if (ms < TOKEN_LIFETIME.min || ms > TOKEN_LIFETIME.max) {
    throw problem.badRequest(`tokenLifetime must be between 5m and 60d, got ${value}`)
  }
  return ms
}

/** Reads Jumio's Mock Service directive if the reference is one ([D] jumio-reference §21). */
export function parseDirective(reference: string): MockDirective | undefined {
  if (!/^\s*\{[\s\S]*\}\s*$/.test(reference)) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(reference)
  } catch {
    throw problem.badRequest(
      'customerInternalReference looks like a Mock Service directive but is not valid JSON',
    )
  }
  const d = parsed as Partial<MockDirective> | null
  if (typeof d?.customerInternalReference !== 'string') {
    throw problem.badRequest('A Mock Service directive needs a string customerInternalReference')
  }
  for (const key of ['decisionLabel', 'credentialWithDecision'] as const) {
    if (d[key] !== undefined && typeof d[key] !== 'string')
      throw problem.badRequest(`A Mock Service directive's ${key} must be a string`)
  }
  const overrides: unknown = d.extractionOverrides
  if (
    overrides !== undefined &&
    (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides))
  ) {
    throw problem.badRequest(
      "A Mock Service directive's extractionOverrides must be an object of extraction fields",
    )
  }
  return d as MockDirective
}

/**
 * The contract's pattern admits what only looks like a URL (`http://[::1`, `http://a:99999/`,
 * `http://%zz/`): the callback would fail to parse at every attempt, the web journey's redirect
 * at the end. Each must be one a client (WHATWG's URL) can call.
 */
function checkUrls(body: AccountRequestBody): void {
  const urls = {
    callbackUrl: body.callbackUrl,
    'web.successUrl': body.web?.successUrl,
    'web.errorUrl': body.web?.errorUrl,
  }
  for (const [name, url] of Object.entries(urls)) {
    if (url !== undefined && !URL.canParse(url)) {
      throw problem.badRequest(`${name} must be an absolute http or https URL: ${url} is not one`)
    }
  }
}

/** Applies the rules and returns the parameters of the new workflow execution. */
export function toAccountParams(
  body: AccountRequestBody,
  catalogue: DefinitionCatalogue,
  isUpdate: boolean,
): AccountParams {
  const key = String(body.workflowDefinition.key)
  const definition = catalogue.get(key)
  if (!definition) {
    throw problem.badRequest(
      `workflowDefinition.key ${key} is not a known workflow definition; known keys: ${catalogue.keys().join(', ')}`,
    )
  }
  if (definition.updateOnly && !isUpdate) {
    throw problem.badRequest(
      `workflowDefinition.key ${key} works on an existing account only: use PUT /api/v1/accounts/{accountId}`,
    )
  }
  if (definition.requiresUserReference && !body.userReference) {
    throw problem.badRequest(`userReference is required for workflow definition ${key}`)
  }
  const requested = body.workflowDefinition.credentials ?? []
  checkUrls(body)
  checkTypeValues(requested)
  checkDocumentCredential(definition, requested)
  const directive = parseDirective(body.customerInternalReference)
  const params: AccountParams = {
    definition,
    customerInternalReference:
      directive?.customerInternalReference ?? body.customerInternalReference,
    tokenLifetimeMs:
      body.tokenLifetime === undefined
        ? TOKEN_LIFETIME.default
        : parseTokenLifetime(body.tokenLifetime),
    web: { locale: body.web?.locale ?? 'en' },
    requested,
  }
  if (directive) params.directive = directive
  if (body.userReference !== undefined) params.userReference = body.userReference
  if (body.reportingCriteria !== undefined) params.reportingCriteria = body.reportingCriteria
  if (body.callbackUrl !== undefined) params.callbackUrl = body.callbackUrl
  if (body.web?.successUrl !== undefined) params.web.successUrl = body.web.successUrl
  if (body.web?.errorUrl !== undefined) params.web.errorUrl = body.web.errorUrl
  return params
}

/** [D] the type values of each category (jumio-reference §4.3); DOCUMENT takes document codes. */
const TYPE_VALUES: Partial<Record<string, readonly string[]>> = {
  ID: ['ID_CARD', 'DRIVING_LICENSE', 'PASSPORT', 'VISA'],
  FACEMAP: ['IPROOV_STANDARD', 'IPROOV_PREMIUM', 'JUMIO_STANDARD'],
}
const DOCUMENT_CODE = /^[A-Z][A-Z0-9_]{1,9}$/

/** Refuses a type value the credential's category does not have (it would be echoed in results). */
function checkTypeValues(requested: RequestedCredential[]): void {
  requested.forEach((c, i) => {
    const allowed = TYPE_VALUES[c.category ?? '']
    for (const value of c.type?.values ?? []) {
      if (
        allowed ? allowed.includes(value) : c.category !== 'DOCUMENT' || DOCUMENT_CODE.test(value)
      )
        continue
      throw problem.badRequest(
        `workflowDefinition.credentials[${i}].type.values: ${value} is not a ${c.category ?? ''} type` +
          (allowed ? `; allowed: ${allowed.join(', ')}` : ' (use a document code such as UB)'),
      )
    }
  })
}

/** [D] DOCUMENT needs exactly one country and one type (jumio-reference §4.3, DOCS-DOC). */
function checkDocumentCredential(
  definition: WorkflowDefinition,
  requested: RequestedCredential[],
): void {
  if (!definition.credentials.some((c) => c.category === 'DOCUMENT')) return
  const doc = requested.find((c) => c.category === 'DOCUMENT')
  if (!doc) {
    throw problem.badRequest(
      'workflowDefinition.credentials must include a DOCUMENT credential for this workflow',
    )
  }
  if (doc.country?.values?.length !== 1 || doc.type?.values?.length !== 1) {
    throw problem.badRequest(
      'workflowDefinition.credentials[DOCUMENT] needs exactly one country.values and one type.values entry',
    )
  }
}
