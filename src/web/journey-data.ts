/**
 * @module What the journey's server-rendered page hands its browser script in `#page-data`:
 * types only, shared by the page (journey-page.ts) and the script (client/journey.ts).
 */
import type { Labels } from './i18n.js'

/** The data of a journey page or of its end page for an error. */
export interface JourneyData {
  mode: 'journey' | 'error'
  token: string
  accountId?: string
  workflowExecutionId?: string
  customerInternalReference?: string
  successUrl?: string
  errorUrl?: string
  errorCode?: number
  finalizePath?: string
  outcomePath: string
  labels: Pick<
    Labels,
    | 'uploading'
    | 'uploaded'
    | 'uploadFailed'
    | 'finishing'
    | 'successHeading'
    | 'successText'
    | 'errorPageHeading'
    | 'errorPageText'
  >
}
