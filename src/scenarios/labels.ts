/**
 * @module Which decision labels each capability can show, by decision type ([D] jumio-reference §11).
 * Scenarios are checked against it, and Jumio's Mock Service `decisionLabel` is mapped through it
 * onto the capability that owns the label.
 */
import type { CapabilityName } from '../model/workflow-definitions.js'
import type { DecisionType } from './types.js'

type Labels = Partial<Record<DecisionType, readonly string[]>>

const NOT_RUN = ['PRECONDITION_NOT_FULFILLED', 'TECHNICAL_ERROR']
const MANIPULATED = [
  'PHOTO',
  'EXPIRY',
  'NAME',
  'ADDRESS',
  'SECURITY_CHECKS',
  'SIGNATURE',
  'PERSONAL_NUMBER',
  'PLACE_OF_BIRTH',
  'GENDER',
  'ISSUING_DATE',
].map((x) => `MANIPULATED_DOCUMENT_${x}`)
const ADDRESS: Labels = {
  NOT_EXECUTED: [
    'NOT_ENOUGH_DATA',
    'TECHNICAL_ERROR',
    'UNSUPPORTED_COUNTRY',
    'PRECONDITION_NOT_FULFILLED',
  ],
  PASSED: ['OK'],
  REJECTED: ['DENY'],
  WARNING: ['ALERT'],
}

/** [D] jumio-reference §11, merged from the 2022 and 2023 guides and the newer capability pages. */
export const LABELS: Record<CapabilityName, Labels> = {
  usability: {
    NOT_EXECUTED: ['TECHNICAL_ERROR', 'NOT_UPLOADED'],
    PASSED: ['OK'],
    REJECTED: [
      'BAD_QUALITY',
      'BLURRED',
      'BAD_QUALITY_IMAGE',
      'PART_OF_DOCUMENT_MISSING',
      'PART_OF_DOCUMENT_HIDDEN',
      'DAMAGED_DOCUMENT',
      'GLARE',
      'MISSING_MANDATORY_DATAPOINTS',
      'BLACK_WHITE',
      'MISSING_PAGE',
      'MISSING_SIGNATURE',
      'NOT_A_DOCUMENT',
      'PHOTOCOPY',
    ],
    WARNING: ['LIVENESS_UNDETERMINED', 'UNSUPPORTED_COUNTRY', 'UNSUPPORTED_DOCUMENT_TYPE'],
  },
  liveness: {
    NOT_EXECUTED: NOT_RUN,
    PASSED: ['OK'],
    REJECTED: [
      'LIVENESS_UNDETERMINED',
      'ID_USED_AS_SELFIE',
      'MULTIPLE_PEOPLE',
      'DIGITAL_COPY',
      'PHOTOCOPY',
      'MANIPULATED',
      'NO_FACE_PRESENT',
      'FACE_NOT_FULLY_VISIBLE',
      'BLACK_WHITE',
    ],
    WARNING: ['AGE_DIFFERENCE', 'BAD_QUALITY'],
  },
  similarity: {
    NOT_EXECUTED: NOT_RUN,
    PASSED: ['MATCH'],
    REJECTED: ['NO_MATCH'],
    WARNING: ['NOT_POSSIBLE'],
  },
  authentication: { NOT_EXECUTED: NOT_RUN, PASSED: ['OK'], REJECTED: ['FAILED'] },
  imageChecks: {
    NOT_EXECUTED: NOT_RUN,
    PASSED: ['OK'],
    REJECTED: [
      'DIGITAL_COPY',
      'WATERMARK',
      'MANIPULATED_DOCUMENT',
      ...MANIPULATED,
      'OTHER_REJECTION',
      'GHOST_IMAGE_DIFFERENT',
      'PUNCHED',
      'SAMPLE',
      'FAKE',
      'CHIP_MISSING',
      'DIGITAL_MANIPULATION',
      'MISMATCH_FRONT_BACK',
    ],
    WARNING: ['DIFFERENT_PERSON', 'REPEATED_FACE'],
  },
  extraction: { NOT_EXECUTED: NOT_RUN, PASSED: ['OK'] },
  dataChecks: {
    NOT_EXECUTED: NOT_RUN,
    PASSED: ['OK'],
    REJECTED: [
      'NFC_CERTIFICATE',
      'MISMATCHING_DATAPOINTS',
      'MRZ_CHECKSUM',
      'MISMATCHING_DATA_REPEATED_FACE',
      'MISMATCH_HRZ_MRZ_DATA',
      'MISMATCH_FRONT_BACK',
      'SUPERIMPOSED_TEXT',
      'HIGH_FRAUD_RISK',
    ],
    WARNING: ['DOCUMENT_EXPIRY_WITHIN_CONFIGURED_LIMIT'],
  },
  watchlistScreening: {
    NOT_EXECUTED: [
      'NOT_ENOUGH_DATA',
      'VALIDATION_FAILED',
      'INVALID_MERCHANT_SETTINGS',
      'TECHNICAL_ERROR',
      'EXTRACTION_NOT_DONE',
      'NO_VALID_ID_CREDENTIAL',
      'PRECONDITION_NOT_FULFILLED',
    ],
    PASSED: ['OK'],
    WARNING: ['ALERT'],
  },
  addressValidation: ADDRESS,
  proofOfResidency: ADDRESS,
  drivingLicenseVerification: {
    NOT_EXECUTED: [
      'TECHNICAL_ERROR',
      'UNSUPPORTED_COUNTRY',
      'UNSUPPORTED_STATE',
      'PRECONDITION_NOT_FULFILLED',
      'VALIDATION_FAILED',
    ],
    PASSED: ['OK'],
    REJECTED: ['DENY'],
    WARNING: ['ALERT'],
  },
  braCpfValidation: {
    NOT_EXECUTED: [
      'NOT_ENOUGH_DATA',
      'TECHNICAL_ERROR',
      'INVALID_MERCHANT_SETTINGS',
      'VALIDATION_FAILED',
      'PRECONDITION_NOT_FULFILLED',
    ],
    PASSED: ['OK'],
    REJECTED: ['DENY'],
    WARNING: ['UNSUPPORTED_COUNTRY'],
  },
  // [D] the type ↔ label mapping is marked "TODO" in Jumio's docs; the example is REJECTED/HIGH_RISK
  biometricVerification: {
    NOT_EXECUTED: [
      'TECHNICAL_ERROR',
      'PERMISSION_DENIED',
      'BAD_REQUEST',
      'PRECONDITION_NOT_FULFILLED',
    ],
    PASSED: ['LOW_RISK'],
    WARNING: ['MEDIUM_RISK'],
    REJECTED: ['HIGH_RISK'],
  },
}

/** True when `label` is one the capability shows with decision `type`. */
export function labelAllowed(
  capability: CapabilityName,
  type: DecisionType,
  label: string,
): boolean {
  return LABELS[capability][type]?.includes(label) ?? false
}

/** Capabilities (and the decision type) that can show `label`, in dependency-chain order. */
export function ownersOf(label: string): { capability: CapabilityName; type: DecisionType }[] {
  const owners: { capability: CapabilityName; type: DecisionType }[] = []
  for (const [capability, byType] of Object.entries(LABELS) as [CapabilityName, Labels][]) {
    for (const [type, labels] of Object.entries(byType) as [DecisionType, readonly string[]][]) {
      if (labels.includes(label)) owners.push({ capability, type })
    }
  }
  return owners
}
