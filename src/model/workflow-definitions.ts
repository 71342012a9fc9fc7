/**
 * @module The catalogue of workflow definitions: for each definition key, the credentials a
 * workflow execution collects (category, uploadable parts, channels) and the capabilities that
 * run on them along Jumio's dependency chains (jumio-reference §5, §6, §11).
 */

/** Credential categories ([D] jumio-reference §4.3, §6). */
export type Category = 'ID' | 'SELFIE' | 'FACEMAP' | 'DATA' | 'DOCUMENT'
/** Channels a credential may be captured through. */
export type Channel = 'WEB' | 'API' | 'SDK'

/** Capabilities named as in retrieval's `capabilities` object ([D] jumio-reference §11). */
export const CAPABILITIES = [
  'usability',
  'imageChecks',
  'extraction',
  'dataChecks',
  'liveness',
  'similarity',
  'authentication',
  'watchlistScreening',
  'addressValidation',
  'proofOfResidency',
  'drivingLicenseVerification',
  'braCpfValidation',
  'biometricVerification',
] as const
/** One capability name. */
export type CapabilityName = (typeof CAPABILITIES)[number]

/** A credential of a definition. */
export interface CredentialSpec {
  category: Category
  /** UPPERCASE classifiers uploadable through the API channel; empty when API is not allowed. */
  classifiers: string[]
  /** Classifiers that must be present for usability to run ([D] passports need FRONT only). */
  required: string[]
  allowedChannels: Channel[]
}

/** A capability of a definition, placed on the dependency chains. */
export interface CapabilitySpec {
  name: CapabilityName
  /** The capability this one follows; `null` for a chain's root. */
  after: CapabilityName | null
  /** Categories of the credentials this capability evaluates (listed in its entry). */
  credentials: Category[]
  /** Categories whose preceding result must be usable for this capability to run. */
  requires: Category[]
}

/** A workflow definition. */
export interface WorkflowDefinition {
  key: string
  name: string
  credentials: CredentialSpec[]
  capabilities: CapabilitySpec[]
  /** [D] WF10010 and WF32 need `userReference` (jumio-reference §4.2). */
  requiresUserReference?: boolean
  /** [D] WF10014 authenticates an existing account: PUT only (jumio-reference §5.1). */
  updateOnly?: boolean
  /** [D] The prepared data fields it needs, as dotted paths (jumio-reference §8.2). */
  preparedData?: string[]
}

const ALL: Channel[] = ['WEB', 'API', 'SDK']
const credential = {
  ID: { category: 'ID', classifiers: ['FRONT', 'BACK'], required: ['FRONT'], allowedChannels: ALL },
  SELFIE: { category: 'SELFIE', classifiers: ['FACE'], required: ['FACE'], allowedChannels: ALL },
  // [D] "a FACEMAP cannot be uploaded directly through the API": no api block (jumio-reference §6)
  FACEMAP: { category: 'FACEMAP', classifiers: [], required: [], allowedChannels: ['WEB', 'SDK'] },
  DATA: {
    category: 'DATA',
    classifiers: ['PREPARED_DATA'],
    required: ['PREPARED_DATA'],
    allowedChannels: ['API'],
  },
  // [I] DOCUMENT's classifier is undocumented (jumio-reference §19.11); we chose DOCUMENT.
  DOCUMENT: {
    category: 'DOCUMENT',
    classifiers: ['DOCUMENT'],
    required: ['DOCUMENT'],
    allowedChannels: ALL,
  },
} as const satisfies Record<Category, CredentialSpec>

function cap(
  name: CapabilityName,
  after: CapabilityName | null,
  credentials: Category[],
  requires: Category[] = credentials,
): CapabilitySpec {
  return { name, after, credentials, requires }
}

// [D] usability → imageChecks → extraction → dataChecks; usability → liveness | similarity
// (jumio-reference §11); liveness runs on the selfie alone when no facemap was captured ([O] examples).
const IDIV: CapabilitySpec[] = [
  cap('usability', null, ['ID', 'SELFIE', 'FACEMAP'], []),
  cap('imageChecks', 'usability', ['ID', 'SELFIE'], ['ID']),
  cap('extraction', 'imageChecks', ['ID']),
  cap('dataChecks', 'extraction', ['ID']),
  cap('liveness', 'usability', ['SELFIE', 'FACEMAP'], ['SELFIE']),
  cap('similarity', 'usability', ['ID', 'SELFIE']),
]
const SCREENING = cap('watchlistScreening', 'extraction', ['ID'])
const IDIV_CREDENTIALS = [credential.ID, credential.SELFIE, credential.FACEMAP]
/** An ID and a selfie over the API, compared (the legacy keys 5 and 20 alike). */
const SIMILARITY = {
  credentials: [
    { ...credential.ID, allowedChannels: ['API'] },
    { ...credential.SELFIE, allowedChannels: ['API'] },
  ],
  capabilities: [
    cap('usability', null, ['ID', 'SELFIE'], []),
    cap('similarity', 'usability', ['ID', 'SELFIE']),
  ],
} satisfies Omit<WorkflowDefinition, 'key' | 'name'>

function def(
  key: string,
  name: string,
  rest: Omit<WorkflowDefinition, 'key' | 'name'>,
): WorkflowDefinition {
  return { key, name, ...rest }
}

/** The built-in definitions ([D] jumio-reference §5.1, §5.2, §5.3). */
export const BUILT_IN_DEFINITIONS: readonly WorkflowDefinition[] = [
  def('10005', 'Standalone CPF Validation (Brazil)', {
    credentials: [credential.DATA],
    preparedData: ['personalNumber', 'firstName', 'lastName', 'address.country'],
    capabilities: [cap('braCpfValidation', null, ['DATA'])],
  }),
  def('10006', 'Standalone Serpro Biometric (Brazil)', {
    credentials: [credential.DATA, { ...credential.SELFIE, allowedChannels: ['API'] }],
    preparedData: ['personalNumber'],
    capabilities: [
      cap('usability', null, ['SELFIE'], []),
      cap('biometricVerification', 'usability', ['SELFIE', 'DATA'], ['SELFIE']),
    ],
  }),
  def('10008', 'Standalone DL Verification (AAMVA, USA)', {
    credentials: [credential.DATA],
    capabilities: [cap('drivingLicenseVerification', null, ['DATA'])],
  }),
  def('10010', 'Standalone Watchlist Screening', {
    credentials: [credential.DATA],
    capabilities: [cap('watchlistScreening', null, ['DATA'])],
    requiresUserReference: true,
  }),
  def('10011', 'Standalone ID and Identity Verification', {
    credentials: IDIV_CREDENTIALS,
    capabilities: IDIV,
  }),
  def(
    '10013',
    'ID and Identity Verification, Screening, Proof of Residency, Address and DL checks',
    {
      credentials: IDIV_CREDENTIALS,
      capabilities: [
        ...IDIV,
        SCREENING,
        cap('addressValidation', 'extraction', ['ID']),
        cap('proofOfResidency', 'extraction', ['ID']),
        cap('drivingLicenseVerification', 'extraction', ['ID']),
      ],
    },
  ),
  def('10014', 'Standalone Authentication', {
    credentials: [
      credential.FACEMAP,
      { ...credential.SELFIE, classifiers: [], allowedChannels: ['WEB', 'SDK'] },
    ],
    capabilities: [
      cap('usability', null, ['SELFIE', 'FACEMAP'], []),
      cap('authentication', 'usability', ['SELFIE', 'FACEMAP'], ['SELFIE']),
    ],
    updateOnly: true,
  }),
  def('10026', 'Standalone Document Verification', {
    credentials: [credential.DOCUMENT],
    capabilities: [
      cap('usability', null, ['DOCUMENT'], []),
      cap('imageChecks', 'usability', ['DOCUMENT']),
      cap('extraction', 'imageChecks', ['DOCUMENT']),
    ],
  }),
  def('1', 'ID Capture and Storage', {
    credentials: [credential.ID],
    capabilities: [cap('usability', null, ['ID'], []), cap('extraction', 'usability', ['ID'])],
  }),
  def('2', 'ID Verification', {
    credentials: [credential.ID],
    capabilities: [
      cap('usability', null, ['ID'], []),
      cap('imageChecks', 'usability', ['ID']),
      cap('extraction', 'imageChecks', ['ID']),
      cap('dataChecks', 'extraction', ['ID']),
    ],
  }),
  def('3', 'ID and Identity Verification', { credentials: IDIV_CREDENTIALS, capabilities: IDIV }),
  def('5', 'Similarity to existing ID', SIMILARITY),
  def('6', 'Standalone Liveness', {
    credentials: [
      { ...credential.SELFIE, allowedChannels: ['API', 'SDK'] },
      { ...credential.FACEMAP, allowedChannels: ['SDK'] },
    ],
    capabilities: [
      cap('usability', null, ['SELFIE', 'FACEMAP'], []),
      cap('liveness', 'usability', ['SELFIE', 'FACEMAP'], ['SELFIE']),
    ],
  }),
  def('9', 'Authentication', {
    credentials: [
      { ...credential.SELFIE, classifiers: [], allowedChannels: ['WEB', 'SDK'] },
      credential.FACEMAP,
    ],
    capabilities: [
      cap('usability', null, ['SELFIE', 'FACEMAP'], []),
      cap('authentication', 'usability', ['SELFIE', 'FACEMAP'], ['SELFIE']),
    ],
  }),
  // [D] WF16 uploads a FACEMAP (binary) through the API, then captures via WEB/SDK (jumio-reference §5.2)
  def('16', 'Authentication on Premise', {
    credentials: [
      {
        category: 'FACEMAP',
        classifiers: ['FACEMAP'],
        required: ['FACEMAP'],
        allowedChannels: ['API', 'WEB', 'SDK'],
      },
      { ...credential.SELFIE, classifiers: [], allowedChannels: ['WEB', 'SDK'] },
    ],
    capabilities: [
      cap('usability', null, ['FACEMAP', 'SELFIE'], []),
      cap('authentication', 'usability', ['SELFIE', 'FACEMAP'], ['FACEMAP']),
    ],
  }),
  def('20', 'Similarity of Two Images', SIMILARITY),
  def('32', 'ID Verification, Identity Verification, Screening', {
    credentials: IDIV_CREDENTIALS,
    capabilities: [...IDIV, SCREENING],
    requiresUserReference: true,
  }),
]

/** True for a definition of the mock's own catalogue (never removed, unlike the file's). */
export function isBuiltIn(definition: WorkflowDefinition): boolean {
  return BUILT_IN_DEFINITIONS.includes(definition)
}

/** Looks up definitions by key: the built-ins plus any a tenant configured. */
export class DefinitionCatalogue {
  private readonly byKey = new Map<string, WorkflowDefinition>()

  /** `configured` is read on every lookup, so a reloaded scenarios file takes effect at once. */
  constructor(
    definitions: readonly WorkflowDefinition[] = BUILT_IN_DEFINITIONS,
    private readonly configured: () => readonly WorkflowDefinition[] = () => [],
  ) {
    for (const d of definitions) this.byKey.set(d.key, d)
  }

  /** The definition for `key`, if known. */
  get(key: string): WorkflowDefinition | undefined {
    return this.byKey.get(key) ?? this.configured().find((d) => d.key === key)
  }

  /** Every known key, numerically sorted. */
  keys(): string[] {
    const all = new Set([...this.byKey.keys(), ...this.configured().map((d) => d.key)])
    return [...all].sort((a, b) => Number(a) - Number(b))
  }
}
