/**
 * @module `extraction.data` of a DOCUMENT credential (a utility bill, a bank statement…):
 * issuer, issue date, the holder's name and address, never identity-card fields.
 *
 * What Jumio documents: [D] a DOCUMENT "is passed to the Extraction capability", and "a
 * successful extraction requires at least one of: Name, Issue Date, Address" (docs.jumio.com
 * Credentials/Document). Jumio's older Document Verification guide lists the standard document
 * codes and, per code, the extracted data: name, issueDate and address for all; BS adds
 * accountNumber and swiftCode, UB dueDate, CCS cardNumberLastFourDigits; CC only name and expiry;
 * SSC firstName, lastName, ssn and signatureAvailable. What we infer: [I] KYX's field names for
 * them (`issuingDate`, `issuingAuthority` for the issuer, `address.formattedAddress`, the
 * names above for the extras), and a `subType` that spells out the code (`UB` → `UTILITY_BILL`).
 */
import { dateParts, isoDay } from './document-dates.js'
import { fakerFor } from './faker.js'
import type { Person } from './person.js'

type Data = Record<string, unknown>
const DAY = 24 * 3600 * 1000

/** [D] the standard document codes of Jumio's Document Verification guide, spelled out. */
export const DOCUMENT_SUBTYPES: Record<string, string> = {
  BC: 'BIRTH_CERTIFICATE', BS: 'BANK_STATEMENT', CAAP: 'CASH_ADVANCE_APPLICATION',
  CB: 'COUNCIL_BILL', CC: 'CREDIT_CARD', CCS: 'CREDIT_CARD_STATEMENT',
  CRC: 'CORPORATE_RESOLUTION_CERTIFICATE', HCC: 'HEALTH_CARE_CARD', IC: 'INSURANCE_CARD',
  LAG: 'LEASE_AGREEMENT', LOAP: 'LOAN_APPLICATION', MEDC: 'MEDICARE_CARD',
  MOAP: 'MORTGAGE_APPLICATION', PB: 'PHONE_BILL', SEL: 'SCHOOL_ENROLMENT_LETTER',
  SENC: 'SENIORS_CARD', SS: 'SUPERANNUATION_STATEMENT', SSC: 'SOCIAL_SECURITY_CARD',
  STUC: 'STUDENT_CARD', TAC: 'TRADE_ASSOCIATION_CARD', TR: 'TAX_RETURN', UB: 'UTILITY_BILL',
  VC: 'VOIDED_CHECK', VT: 'VEHICLE_TITLE', WWCC: 'WORKING_WITH_CHILDREN_CHECK', CUSTOM: 'CUSTOM',
} // prettier-ignore

/** The fields a document code's extraction holds beyond type, subType, country and issuer. */
export type DocumentField = 'name' | 'issuingDate' | 'address' | 'expiryDate'

/** [D] per code, the data Jumio's Document Verification guide says is extracted. */
export function documentFields(code: string): readonly DocumentField[] {
  if (code === 'CC') return ['name', 'expiryDate']
  if (code === 'SSC') return ['name']
  return ['name', 'issuingDate', 'address']
}

/** [I] The kind of issuer a document comes from, for a plausible issuer name. */
const ISSUER_SUFFIX: Record<string, string> = {
  UB: 'ENERGY', PB: 'TELECOM', BS: 'BANK', CCS: 'BANK', CC: 'BANK', IC: 'INSURANCE',
  HCC: 'HEALTH', TR: 'REVENUE SERVICE', CB: 'COUNCIL',
} // prettier-ignore

/** `extraction.data` of a DOCUMENT credential of document code `code` for `person`. */
export function documentExtraction(
  seed: string,
  now: number,
  person: Person,
  doc: { code: string; country: string },
): Data {
  const f = fakerFor(`${seed}:document`)
  const company = f.company
    .name()
    .replace(/[^A-Za-z]+/g, ' ')
    .trim()
    .toUpperCase()
  const issuer = `${company} ${ISSUER_SUFFIX[doc.code] ?? 'LTD'}`
  // [I] recent, as a proof of address must be: issued in the last three months, due weeks later
  const issuedAt = now - f.number.int({ min: 3, max: 90 }) * DAY
  const issued = isoDay(issuedAt)
  const extras = {
    dueDate: isoDay(issuedAt + f.number.int({ min: 14, max: 30 }) * DAY),
    accountNumber: f.finance.accountNumber(10),
    swiftCode: `${f.string.alpha({ length: 4, casing: 'upper' })}${doc.country.slice(0, 2)}${f.string.alphanumeric({ length: 2, casing: 'upper' })}`,
    last4: f.string.numeric(4),
    ssn: `9${f.string.numeric(2)}-${f.string.numeric(2)}-${f.string.numeric(4)}`,
    expiry: isoDay(now + f.number.int({ min: 60, max: 4 * 365 }) * DAY),
  }
  const fields = documentFields(doc.code)
  return {
    type: doc.code,
    subType: DOCUMENT_SUBTYPES[doc.code] ?? 'OTHER',
    issuingCountry: doc.country,
    issuingAuthority: issuer,
    ...(fields.includes('name') && { firstName: person.firstName, lastName: person.lastName }),
    ...(fields.includes('issuingDate') && {
      issuingDate: issued,
      issuingDateParts: dateParts(issued),
    }),
    ...(fields.includes('expiryDate') && {
      expiryDate: extras.expiry,
      expiryDateParts: dateParts(extras.expiry),
    }),
    ...(fields.includes('address') && { address: person.address }),
    ...(doc.code === 'UB' && { dueDate: extras.dueDate }),
    ...(doc.code === 'BS' && { accountNumber: extras.accountNumber, swiftCode: extras.swiftCode }),
    ...(doc.code === 'CCS' && { cardNumberLastFourDigits: extras.last4 }),
    // [I] 9xx: an area no Social Security Number is issued in, so never a real one
    ...(doc.code === 'SSC' && { ssn: extras.ssn, signatureAvailable: true }),
  }
}
