/**
 * @module Jumio's hosted Mock Service directive, as a client sends it: a JSON object in
 * customerInternalReference that picks the outcome ([D] jumio-reference §21).
 */

/** [D] the JSON object a Mock Service tenant reads from customerInternalReference (jumio-reference §21). */
export interface MockDirective {
  customerInternalReference: string
  decisionLabel?: string
  credentialWithDecision?: string
  extractionOverrides?: Record<string, unknown>
}
