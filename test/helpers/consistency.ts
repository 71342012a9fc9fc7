/**
 * The rules a workflow execution's details must keep, each a named
 * check that lists what breaks it. They restate the rules from Jumio's documentation and the
 * captures, not from the mock's code: the lists of subtypes and document fields are written
 * here again on purpose.
 */
import type { WorkflowDetails } from '../../src/server/contract/types.js'

type Data = Record<string, unknown>
type Entry = NonNullable<WorkflowDetails['capabilities']['usability']>[number]

/** What the client asked for, as far as the rules need it. */
export interface Asked {
  /** Requested document type and country, by credential category. */
  requested: Partial<Record<string, { type?: string | undefined; country?: string | undefined }>>
  /** Prepared data uploaded for a DATA credential. */
  prepared?: Data | undefined
  /** Extraction values the client set (scenario `extraction`, then the directive's overrides). */
  overrides?: Data | undefined
  /** The origin every href must point at. */
  origin: string
  /** Categories of the credentials the API channel had to upload. */
  uploadable?: string[] | undefined
}

/** A named check: the problems it finds in `details`, none when the rule holds. */
export type Check = (details: WorkflowDetails, asked: Asked) => string[]

/** [D] jumio-reference §11: the subtypes of each ID type. */
const ID_SUBTYPES: Record<string, string[]> = {
  DRIVING_LICENSE: ['REGULAR_DRIVING_LICENSE', 'LEARNING_DRIVING_LICENSE'],
  PASSPORT: ['E_PASSPORT'],
  ID_CARD: ['NATIONAL_ID', 'CONSULAR_ID', 'ELECTORAL_ID', 'RESIDENT_PERMIT_ID', 'TAX_ID',
    'STUDENT_ID', 'PASSPORT_CARD_ID', 'MILITARY_ID', 'PUBLIC_SAFETY_ID', 'HEALTH_ID', 'OTHER_ID',
    'VISA', 'UNKOWN'], // prettier-ignore
}
const IDENTITY_FIELDS = [
  'dateOfBirth',
  'dateOfBirthParts',
  'gender',
  'nationality',
  'placeOfBirth',
  'currentAge',
]
const ALIASES: Record<string, string> = { idType: 'type', country: 'issuingCountry' }

const entries = (d: WorkflowDetails, name: string): Entry[] =>
  (d.capabilities as Record<string, Entry[] | undefined>)[name] ?? []
const dataOf = (e: Entry | undefined): Data => e?.data ?? {}
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const overridesOf = (asked: Asked): Data =>
  Object.fromEntries(Object.entries(asked.overrides ?? {}).map(([k, v]) => [ALIASES[k] ?? k, v]))
/** The extraction entries that ran, with their credential's category. */
function extractions(d: WorkflowDetails): { category: string; data: Data }[] {
  return entries(d, 'extraction')
    .filter((e) => e.decision.type !== 'NOT_EXECUTED')
    .map((e) => ({ category: e.credentials?.[0]?.category ?? '', data: dataOf(e) }))
}

/** Whole years from a YYYY-MM-DD birth date to the UTC day of an ISO timestamp. */
export function age(born: string, at: string): number {
  const [y, m, d] = born.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = at.slice(0, 10).split('-').map(Number) as [number, number, number]
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0)
}

/** Rule 5: type, subType and issuingCountry follow the request; DL checks only for licences. */
export const documentTypeFollowsRequest: Check = (d, asked) => {
  const out: string[] = []
  const overrides = overridesOf(asked)
  for (const { category, data } of extractions(d)) {
    const want = asked.requested[category] ?? {}
    const type = str(overrides['type']) ?? want.type
    const country = str(overrides['issuingCountry']) ?? want.country
    if (type !== undefined && data['type'] !== type)
      out.push(`type ${String(data['type'])}, asked ${type}`)
    if (country !== undefined && data['issuingCountry'] !== country)
      out.push(`issuingCountry ${String(data['issuingCountry'])}, asked ${country}`)
    const allowed = ID_SUBTYPES[String(data['type'])]
    if (
      category === 'ID' &&
      !('subType' in overrides) &&
      allowed &&
      !allowed.includes(String(data['subType']))
    )
      out.push(`subType ${String(data['subType'])} for a ${String(data['type'])}`)
  }
  // the ID's type: as extracted, else as asked (an extraction that did not run shows none)
  const idType =
    str(extractions(d).find((x) => x.category === 'ID')?.data['type']) ??
    str(overrides['type']) ??
    asked.requested['ID']?.type
  const onId = entries(d, 'drivingLicenseVerification').some((e) =>
    e.credentials?.some((c) => c.category === 'ID'),
  )
  if (onId && idType !== 'DRIVING_LICENSE')
    out.push(`drivingLicenseVerification for a ${String(idType)}`)
  return out
}

/** Rule 6: ages, dates and their parts agree; what the client gave is what shows. */
export const agesAndDatesAgree: Check = (d, asked) => {
  const out: string[] = []
  const at = d.completedAt ?? d.createdAt
  const overrides = overridesOf(asked)
  const id = extractions(d).find((x) => x.category === 'ID')?.data
  for (const { category, data } of extractions(d)) {
    for (const key of ['dateOfBirth', 'issuingDate', 'expiryDate']) {
      const value = str(data[key])
      const parts = data[`${key}Parts`] as Data | undefined
      if (value && parts && [parts['year'], parts['month'], parts['day']].join('-') !== value)
        out.push(`${key}Parts do not spell ${value}`)
    }
    const [issued, expires] = [str(data['issuingDate']), str(data['expiryDate'])]
    if (issued && expires && !(expires > issued))
      out.push(`expiry ${expires} not after issue ${issued}`)
    const born = str(data['dateOfBirth'])
    if (born && issued && !('issuingDate' in overrides) && !(issued > born))
      out.push(`issued ${issued} before birth ${born}`)
    const aged = category === 'ID' && !('currentAge' in overrides)
    if (born && aged && data['currentAge'] !== String(age(born, at)))
      out.push(`currentAge ${String(data['currentAge'])} for a birth on ${born} at ${at}`)
    for (const [key, value] of Object.entries(overrides)) {
      if (key in data && JSON.stringify(data[key]) !== JSON.stringify(value) && key !== 'address')
        out.push(`${key} ${JSON.stringify(data[key])}, given ${JSON.stringify(value)}`)
    }
  }
  if (id) out.push(...preparedShows(id, asked.prepared ?? {}, overrides))
  for (const e of entries(d, 'liveness')) {
    const live = dataOf(e)
    if (live['predictedAge'] === undefined) continue
    const [low, high] = String(live['ageConfidenceRange']).split('-').map(Number) as [
      number,
      number,
    ]
    const predicted = Number(live['predictedAge'])
    if (!(low <= predicted && predicted <= high))
      out.push(`predictedAge ${String(predicted)} outside ${String(low)}-${String(high)}`)
    const born = str(id?.['dateOfBirth'])
    if (born && !(low <= age(born, at) && age(born, at) <= high))
      out.push(
        `age ${String(age(born, at))} outside the liveness range ${String(low)}-${String(high)}`,
      )
  }
  return out
}

/** Prepared data wins over generated values, and overrides over prepared data. */
function preparedShows(id: Data, prepared: Data, overrides: Data): string[] {
  const out: string[] = []
  const preparedId = (prepared['id'] ?? {}) as Data
  const expect = (key: string, value: unknown) => {
    if (value === undefined || key in overrides) return
    if (id[key] !== value)
      out.push(`${key} ${JSON.stringify(id[key])}, prepared ${JSON.stringify(value)}`)
  }
  expect('firstName', str(prepared['firstName'])?.toUpperCase())
  expect('lastName', str(prepared['lastName'])?.toUpperCase())
  expect('dateOfBirth', prepared['dateOfBirth'])
  expect('documentNumber', preparedId['idNumber'])
  expect('issuingDate', preparedId['issuingDate'])
  expect('expiryDate', preparedId['expiryDate'])
  return out
}

/** [D] Document Verification guide: the data extracted per document code. */
function documentFieldsOf(code: string): string[] {
  if (code === 'CC') return ['firstName', 'lastName', 'expiryDate']
  if (code === 'SSC') return ['firstName', 'lastName']
  return ['firstName', 'lastName', 'issuingDate', 'address']
}

/** Rule 7: a DOCUMENT's extraction holds its document's fields, never identity-card fields. */
export const documentCredentialFields: Check = (d, asked) => {
  const out: string[] = []
  const overrides = overridesOf(asked)
  for (const { category, data } of extractions(d)) {
    if (category !== 'DOCUMENT') continue
    // a field the client set shows, with the parts of a date it set
    const set = (key: string) => key in overrides || key.replace(/Parts$/, '') in overrides
    for (const key of IDENTITY_FIELDS)
      if (key in data && !set(key)) out.push(`a document with ${key}`)
    for (const key of [...documentFieldsOf(String(data['type'])), 'subType', 'issuingAuthority'])
      if (!(key in data)) out.push(`a ${String(data['type'])} document without ${key}`)
    const address = data['address'] as Data | undefined
    if (address && typeof address['formattedAddress'] !== 'string')
      out.push('an address without formattedAddress')
  }
  return out
}

/** [D] capabilities outside the ID_IV step have steps of their own (jumio-reference §10.3). */
const OWN_STEP = [
  'watchlistScreening',
  'addressValidation',
  'proofOfResidency',
  'drivingLicenseVerification',
  'braCpfValidation',
]

/**
 * Rule 8: the top-level decision rolls up as the captures show (docs/fidelity.md): unreadable
 * credentials REJECTED 100, another rejection 80, an identity-verification warning WARNING 40,
 * else PASSED at 0, or 50 after an advisory warning, labelled OK without identity verification.
 */
export const decisionRollsUp: Check = (d, asked) => {
  const all = Object.entries(d.capabilities as Record<string, Entry[]>).flatMap(([name, list]) =>
    list.map((e) => ({ name, type: e.decision.type, label: e.decision.details.label })),
  )
  const has = (type: string, name?: string) =>
    all.some((x) => x.type === type && (name ?? x.name) === x.name)
  const notUploaded = d.credentials.some((c) => asked.uploadable?.includes(c.category) && !c.parts)
  let want: [string, string, number]
  if (d.workflow.status === 'TOKEN_EXPIRED') want = ['NOT_EXECUTED', 'TOKEN_EXPIRED', -1]
  else if (all.some((x) => x.label === 'TECHNICAL_ERROR'))
    want = ['NOT_EXECUTED', 'TECHNICAL_ERROR', -1]
  else if (
    d.workflow.status === 'SESSION_EXPIRED' ||
    notUploaded ||
    has('REJECTED', 'usability') ||
    has('NOT_EXECUTED', 'extraction')
  )
    want = ['REJECTED', 'REJECTED', 100]
  else if (has('REJECTED')) want = ['REJECTED', 'REJECTED', 80]
  else {
    const warnings = all.filter((x) => x.type === 'WARNING')
    const advisory = (x: (typeof all)[number]) =>
      OWN_STEP.includes(x.name) || x.label === 'REPEATED_FACE'
    const idiv = all.some((x) => !OWN_STEP.includes(x.name))
    want = warnings.some((x) => !advisory(x))
      ? ['WARNING', 'WARNING', 40]
      : ['PASSED', idiv ? 'PASSED' : 'OK', warnings.length > 0 ? 50 : 0]
  }
  const got = [d.decision.type, d.decision.details.label, d.decision.risk.score]
  return JSON.stringify(got) === JSON.stringify(want)
    ? []
    : [`decision ${JSON.stringify(got)}, rolled up ${JSON.stringify(want)}`]
}

/** Every href in a value, with where it was found. */
export function hrefsIn(value: unknown, at = ''): { at: string; href: string }[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [{ at, href: value }] : []
  if (Array.isArray(value)) return value.flatMap((v, i) => hrefsIn(v, `${at}/${String(i)}`))
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => hrefsIn(v, `${at}/${k}`))
  return []
}

/**
 * Rule 9 on a details response: every href is the mock's and names something that exists: a
 * stored part of a listed credential, this workflow execution's steps; a liveness FACEMAP href
 * only for a FACEMAP that has parts. (test/flows/hrefs.test.ts follows them over HTTP.)
 */
export const hrefsResolve: Check = (d, asked) => {
  const out: string[] = []
  const account = `/api/v1/accounts/${d.account.id}`
  const parts = new Set(
    d.credentials.flatMap((c) =>
      (c.parts ?? []).map((p) => `${account}/credentials/${c.id}/parts/${p.classifier}`),
    ),
  )
  for (const { at, href } of hrefsIn(d)) {
    if (at.startsWith('/capabilities/watchlistScreening') && at.endsWith('/searchResultUrl'))
      continue
    if (!href.startsWith(asked.origin)) {
      out.push(`${at}: ${href} is not on ${asked.origin}`)
      continue
    }
    const path = href.slice(asked.origin.length)
    const known =
      path === `${account}/workflow-executions/${d.workflow.id}/steps` || parts.has(path)
    if (!known) out.push(`${at}: ${path} names nothing stored`)
  }
  return out
}

/** Rules 5 to 9, by name. */
export const CHECKS: Record<string, Check> = {
  documentTypeFollowsRequest,
  agesAndDatesAgree,
  documentCredentialFields,
  decisionRollsUp,
  hrefsResolve,
}
