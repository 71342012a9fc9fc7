import { describe, expect, it } from 'vitest'
import { extractionData } from '../../src/scenarios/extraction.js'

const NOW = Date.UTC(2026, 0, 1)
const PREPARED = {
  firstName: 'jane',
  lastName: 'Doe',
  dateOfBirth: '1990-04-12',
  sex: 'F',
  nationality: 'FRA',
  id: { idNumber: 'X1234567', expiryDate: '2020-01-31', type: 'PASSPORT' },
}

describe('extraction data', () => {
  it('shows the prepared data over generated values, with the dates that follow from it', () => {
    const data = extractionData('wfe-1', NOW, { category: 'ID', preparedData: PREPARED })
    expect(data).toMatchObject({
      type: 'PASSPORT',
      subType: 'E_PASSPORT',
      issuingCountry: 'FRA',
      firstName: 'JANE',
      lastName: 'DOE',
      gender: 'F',
      nationality: 'FRA',
      dateOfBirth: '1990-04-12',
      currentAge: '35',
      documentNumber: 'X1234567',
      expiryDate: '2020-01-31',
      // a passport's ten-year term before the given expiry
      issuingDate: '2010-02-01',
    })
  })

  it('lets the requested type and country win over prepared data, and the overrides over both', () => {
    const asked = {
      category: 'ID',
      preparedData: PREPARED,
      documentType: 'DRIVING_LICENSE',
      country: 'DEU',
    }
    expect(extractionData('wfe-1', NOW, asked)).toMatchObject({
      type: 'DRIVING_LICENSE',
      issuingCountry: 'DEU',
    })
    const overridden = extractionData('wfe-1', NOW, {
      ...asked,
      overrides: { idType: 'ID_CARD', firstName: 'ANA' },
    })
    expect(overridden).toMatchObject({ type: 'ID_CARD', subType: 'NATIONAL_ID', firstName: 'ANA' })
  })

  it('is the same for the same seed, whatever else is given', () => {
    const a = extractionData('wfe-2', NOW, { category: 'ID' })
    const b = extractionData('wfe-2', NOW, { category: 'ID', overrides: { firstName: 'ANA' } })
    expect({ ...b, firstName: a['firstName'] }).toEqual(a)
  })

  it('does not throw on free-form scenario values that are not dates', () => {
    const overrides = { dateOfBirth: 'unknown', issuingDate: 'soon', expiryDate: 42 }
    expect(() => extractionData('wfe-3', NOW, { category: 'ID', overrides })).not.toThrow()
    expect(() =>
      extractionData('wfe-3', NOW, { category: 'DOCUMENT', documentType: 'UB', overrides }),
    ).not.toThrow()
  })
})
