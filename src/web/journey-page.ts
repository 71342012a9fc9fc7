/**
 * @module The hosted web journey's pages, rendered on the server: the capture page for an open
 * workflow execution and Jumio's end page for an error ([D] jumio-reference §4.4, §15, §16). The page's
 * script (client/journey.ts) does the uploads through the API channel and the redirects.
 */
import type { StoredCredential, WorkflowExecution } from '../server/state/models.js'
import { esc, page } from './html.js'
import type { JourneyData } from './journey-data.js'
import { ERROR_CODES, labelsFor } from './i18n.js'
import type { Labels, Language } from './i18n.js'

/** Where the journey's assets are served. */
export const JOURNEY_ASSETS = {
  script: '/web/v4/assets/journey.js',
  stylesheet: '/web/v4/assets/web.css',
  samples: '/web/v4/samples/',
  outcome: '/web/v4/app/outcome',
}

/** The identifiers a page knows, from the workflow execution or the token's claims. */
export interface JourneyIds {
  token: string
  accountId?: string
  workflowExecutionId?: string
  customerInternalReference?: string
}

/** The capture page of an open workflow execution. */
export function journeyPage(
  wfe: WorkflowExecution,
  language: Language,
  scenarios: string[],
): string {
  const t = labelsFor(language)
  const finalizePath = `/api/v1/accounts/${wfe.accountId}/workflow-executions/${wfe.id}`
  const web = wfe.credentials.filter((c) => c.allowedChannels.includes('WEB'))
  const sections = web.map((c) => credentialSection(c, finalizePath, t)).join('\n')
  const main = `<h1>${esc(t.title)}</h1>
<p>${esc(t.intro)}</p>
${sections || `<p>${esc(t.nothingToCapture)}</p>`}
<section aria-labelledby="outcome-h">
<h2 id="outcome-h">${esc(t.outcomeHeading)}</h2>
<label for="outcome">${esc(t.outcomeLabel)}</label>
<select id="outcome">
<option value="">${esc(`${t.keepScenario} (${wfe.scenario.name})`)}</option>
${scenarios.map((s) => `<option value="${esc(s)}">${esc(s)}</option>`).join('\n')}
</select>
</section>
<p class="hint" id="finish-hint">${esc(t.finishHint)}</p>
<button type="button" id="finish" aria-describedby="finish-hint" disabled>${esc(t.finish)}</button>
<p class="status" id="finish-status" role="status"></p>
${errorControl(t)}`
  return page({
    lang: language,
    title: t.title,
    brand: t.brand,
    main,
    stylesheet: JOURNEY_ASSETS.stylesheet,
    script: JOURNEY_ASSETS.script,
    data: {
      ...data('journey', wfeIds(wfe), t),
      finalizePath,
      ...redirects(wfe),
    } satisfies JourneyData,
  })
}

/** Jumio's end page for an error; the script redirects to errorUrl when there is one. */
export function errorPage(
  code: number,
  ids: JourneyIds,
  language: Language,
  wfe?: WorkflowExecution,
): string {
  const t = labelsFor(language)
  return page({
    lang: language,
    title: t.errorPageHeading,
    brand: t.brand,
    main: endPage(t, code),
    stylesheet: JOURNEY_ASSETS.stylesheet,
    script: JOURNEY_ASSETS.script,
    data: {
      ...data('error', ids, t),
      errorCode: code,
      ...(wfe && redirects(wfe)),
    } satisfies JourneyData,
  })
}

/** The identifiers of a workflow execution, as the events and redirects carry them. */
export function wfeIds(wfe: WorkflowExecution): JourneyIds {
  return {
    token: wfe.token,
    accountId: wfe.accountId,
    workflowExecutionId: wfe.id,
    customerInternalReference: wfe.customerInternalReference,
  }
}

function data(mode: JourneyData['mode'], ids: JourneyIds, t: Labels): JourneyData {
  const { uploading, uploaded, uploadFailed, finishing, successHeading, successText } = t
  return {
    mode,
    ...ids,
    outcomePath: JOURNEY_ASSETS.outcome,
    labels: {
      uploading,
      uploaded,
      uploadFailed,
      finishing,
      successHeading,
      successText,
      errorPageHeading: t.errorPageHeading,
      errorPageText: t.errorPageText,
    },
  }
}

function redirects(wfe: WorkflowExecution): Pick<JourneyData, 'successUrl' | 'errorUrl'> {
  return {
    ...(wfe.web.successUrl !== undefined && { successUrl: wfe.web.successUrl }),
    ...(wfe.web.errorUrl !== undefined && { errorUrl: wfe.web.errorUrl }),
  }
}

function endPage(t: Labels, code: number): string {
  return `<div class="end">
<h1>${esc(t.errorPageHeading)}</h1>
<p>${esc(t.errorPageText)} <span class="code" id="error-code">${esc(code)}</span></p>
<p>${esc(t.codes[code] ?? '')}</p>
</div>`
}

function credentialSection(c: StoredCredential, base: string, t: Labels): string {
  const heading = `cred-${c.id}-h`
  const name = t.category[c.category] ?? c.category
  // [D] a FACEMAP is captured by the web client with the selfie, never uploaded (jumio-reference §6)
  const parts = c.allowedChannels.includes('API')
    ? c.classifiers.map((k) => partControl(c, k, `${base}/credentials/${c.id}/parts/${k}`, t))
    : [`<p class="hint">${esc(t.capturedWithSelfie)}</p>`]
  return `<section aria-labelledby="${heading}">
<h2 id="${heading}">${esc(name)}</h2>
${parts.join('\n')}
</section>`
}

function partControl(c: StoredCredential, classifier: string, path: string, t: Labels): string {
  const id = `${c.id}-${classifier}`
  const required = c.required.includes(classifier)
  const label = `${t.part[classifier] ?? classifier} (${required ? t.required : t.optional})`
  const accept =
    c.category === 'DOCUMENT' ? 'image/jpeg,image/png,application/pdf' : 'image/jpeg,image/png'
  return `<div class="part" data-part data-classifier="${esc(classifier)}" data-path="${esc(path)}" data-required="${String(required)}">
<label for="file-${esc(id)}">${esc(label)}</label>
<input type="file" id="file-${esc(id)}" accept="${accept}" aria-describedby="status-${esc(id)}">
<button type="button" class="secondary" data-sample="${esc(classifier)}" aria-label="${esc(`${t.useSample}: ${t.part[classifier] ?? classifier}`)}">${esc(t.useSample)}</button>
<p class="status" id="status-${esc(id)}" role="status">${esc(t.notUploaded)}</p>
</div>`
}

function errorControl(t: Labels): string {
  const options = ERROR_CODES.map(
    (code) => `<option value="${code}">${code}: ${esc(t.codes[code] ?? '')}</option>`,
  ).join('\n')
  return `<details>
<summary>${esc(t.errorHeading)}</summary>
<label for="error-code-select">${esc(t.errorLabel)}</label>
<select id="error-code-select">
${options}
</select>
<button type="button" class="danger" id="fail">${esc(t.fail)}</button>
</details>`
}
