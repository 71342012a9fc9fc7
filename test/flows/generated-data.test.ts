import { describe, expect, it } from 'vitest'
import type { WorkflowDetails } from '../../src/server/contract/types.js'
import { age, CHECKS } from '../helpers/consistency.js'
import type { Asked } from '../helpers/consistency.js'
import { advanceClock, uploadAndFinalize } from '../helpers/flow.js'
import { accessToken, createAccount, retrieve, useClient, workflowPath } from '../helpers/jumio.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()
const jumio = useClient(s)

type Data = Record<string, unknown>

/** One processed workflow execution of `key` asking for `credentials`, and its details. */
async function processed(
  key: number,
  credentials: { category: string; type?: string; country?: string }[],
  overrides?: Data,
  bearer = jumio.token,
) {
  const reference = overrides
    ? JSON.stringify({ customerInternalReference: 'gen', extractionOverrides: overrides })
    : 'gen'
  const created = await createAccount(s, bearer, {
    customerInternalReference: reference,
    userReference: 'user-gen',
    workflowDefinition: {
      key,
      credentials: credentials.map(({ category, type, country }) => ({
        category,
        ...(type && { type: { values: [type] } }),
        ...(country && { country: { values: [country] } }),
      })),
    },
  })
  await uploadAndFinalize(s, created)
  const details = (await retrieve(s, bearer, workflowPath(created)).expect(200))
    .body as WorkflowDetails
  const asked: Asked = {
    requested: Object.fromEntries(credentials.map((c) => [c.category, c])),
    overrides,
    origin: s.url,
    uploadable: ['ID', 'SELFIE', 'DATA', 'DOCUMENT'],
  }
  // every generated details response keeps rules 5 to 9
  for (const [name, check] of Object.entries(CHECKS))
    expect([name, check(details, asked)]).toEqual([name, []])
  const caps = details.capabilities as Record<string, { data?: Data }[] | undefined>
  return { details, caps, extraction: caps['extraction']?.[0]?.data ?? {} }
}

describe('one coherent person and document per workflow execution', () => {
  it('an ID_CARD from Germany: type, subType and country as asked, and no driving-licence check', async () => {
    const { caps, extraction } = await processed(10013, [
      { category: 'ID', type: 'ID_CARD', country: 'DEU' },
    ])
    expect([extraction['type'], extraction['subType'], extraction['issuingCountry']]).toEqual([
      'ID_CARD',
      'NATIONAL_ID',
      'DEU',
    ])
    expect(caps['drivingLicenseVerification']).toBeUndefined()
  })

  it('a DRIVING_LICENSE: a driving-licence subtype, its verification, an address and no nationality', async () => {
    const { caps, extraction } = await processed(10013, [
      { category: 'ID', type: 'DRIVING_LICENSE', country: 'USA' },
    ])
    expect(['REGULAR_DRIVING_LICENSE', 'LEARNING_DRIVING_LICENSE']).toContain(extraction['subType'])
    expect(caps['drivingLicenseVerification']).toHaveLength(1)
    expect(extraction['address']).toHaveProperty('formattedAddress')
    expect(extraction['nationality']).toBeUndefined()
  })

  it('a PASSPORT: E_PASSPORT, no address', async () => {
    const { extraction } = await processed(10011, [
      { category: 'ID', type: 'PASSPORT', country: 'GBR' },
    ])
    expect([extraction['subType'], extraction['address']]).toEqual(['E_PASSPORT', undefined])
  })

  it('liveness predicts an age whose range holds the age of the extracted date of birth, every time', async () => {
    for (let i = 0; i < 8; i++) {
      const { details, caps, extraction } = await processed(10011, [])
      const live = caps['liveness']?.[0]?.data ?? {}
      const [low, high] = String(live['ageConfidenceRange']).split('-').map(Number)
      const years = age(String(extraction['dateOfBirth']), details.completedAt ?? '')
      expect([low ?? NaN, years, high ?? NaN]).toEqual([
        Math.min(low ?? NaN, years),
        years,
        Math.max(high ?? NaN, years),
      ])
    }
  })

  it('a date of birth set by the Mock Service directive brings its parts, currentAge and liveness age', async () => {
    const { caps, extraction } = await processed(10011, [], {
      dateOfBirth: '1990-01-02',
      firstName: 'JOHN',
    })
    expect(extraction).toMatchObject({
      firstName: 'JOHN',
      dateOfBirth: '1990-01-02',
      dateOfBirthParts: { year: '1990', month: '01', day: '02' },
      // the mock's clock reads 2026-01-01: the birthday has not come yet
      currentAge: '35',
    })
    const live = caps['liveness']?.[0]?.data ?? {}
    const [low = NaN, high = NaN] = String(live['ageConfidenceRange']).split('-').map(Number)
    expect(low <= 35 && 35 <= high).toBe(true)
  })

  it('an expiry date set by the directive in the past comes after its issue date', async () => {
    const { extraction } = await processed(10011, [], { expiryDate: '2020-06-30' })
    expect(extraction['expiryDate']).toBe('2020-06-30')
    expect(String(extraction['issuingDate']) < '2020-06-30').toBe(true)
  })

  it("currentAge follows the date of birth on the tenant's clock, to the day", async () => {
    // another tenant, whose clock an admin moved 3,650 days on: 2035-12-30
    // a move is at most 365 days
    for (let year = 0; year < 10; year++) await advanceClock(s, 365 * 24 * 3600 * 1000, 'client-b')
    const bearer = await accessToken(s, 'client-b')
    const ages: unknown[] = []
    for (const dateOfBirth of ['1990-12-30', '1990-12-31']) {
      const { extraction } = await processed(10011, [], { dateOfBirth }, bearer)
      ages.push(extraction['currentAge'])
    }
    expect(ages).toEqual(['45', '44'])
  })

  it.each([
    ['UB', 'UTILITY_BILL', ['dueDate']],
    ['BS', 'BANK_STATEMENT', ['accountNumber', 'swiftCode']],
  ])(
    'a %s document shows its issuer, issue date and address, never identity-card fields',
    async (code, subType, extras) => {
      const { extraction } = await processed(10026, [
        { category: 'DOCUMENT', type: code, country: 'USA' },
      ])
      expect(extraction).toMatchObject({ type: code, subType, issuingCountry: 'USA' })
      for (const key of ['issuingAuthority', 'issuingDate', 'firstName', 'lastName', ...extras])
        expect(extraction).toHaveProperty(key)
      expect(extraction['address']).toHaveProperty('formattedAddress')
      for (const key of ['dateOfBirth', 'gender', 'nationality', 'placeOfBirth', 'currentAge'])
        expect(extraction).not.toHaveProperty(key)
    },
  )
})
