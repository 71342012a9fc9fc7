/**
 * @module The credentials API on the api. host: part uploads and finalize, authorized by the
 * workflow transaction token ([D] jumio-reference §6–9, §3.2 for the order of checks).
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AppDeps } from '../deps.js'
import type { AppEnv } from '../env.js'
import { answeredBy } from '../request-context.js'
import { JumioProblem, PROBLEMS, problem, titleFor } from '../errors.js'
import { inspectUpload } from '../domain/images.js'
import { Workflows } from '../domain/workflows.js'
import { requireTransactionToken } from '../auth.js'
import { recordViolation } from '../request-context.js'
import { contentTypeViolations, schemaViolations, violation } from '../journal/violations.js'
import { finalizeResponse, uploadResponse } from '../render/accounts.js'
import type { StoredCredential, WorkflowExecution } from '../state/models.js'
import type { GrowingHold } from '../domain/image-budget.js'
import type { NewPart } from '../domain/workflows.js'
import { MULTIPART_OVERHEAD, readMultipartFile } from '../domain/multipart.js'
import { abandonBody, bodyStream, declaredLength, tooLarge } from '../request-body.js'
import { binder } from './bind.js'
import { allowOnly, param, readJson } from './operation.js'

/** Every classifier the API knows; others are 404 ([D] jumio-reference §6). */
const CLASSIFIERS = new Set(['FRONT', 'BACK', 'FACE', 'FACEMAP', 'PREPARED_DATA', 'DOCUMENT'])

/** What a multipart body without one usable file is told. */
const MULTIPART_PROBLEMS = {
  missing: 'The multipart field "file" with the image is missing',
  // [I] Jumio does not say which of two would count: refused rather than one picked silently
  duplicate: 'The multipart body has more than one "file" field; send the image in one',
  malformed: 'The multipart body could not be parsed',
}

/** The upload and finalize routes. */
export function credentialRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const route = binder(app, deps.operations)

  route(
    'uploadPart',
    async (c, next) => {
      // The token and the path are checked before the body is read, so a bad request costs nothing.
      const target = await authorizePart(c, deps)
      answeredBy(c, target.wfe.scenario.name)
      await next()
    },
    async (c) => {
      const { wfe: before, credential: declared } = await authorizePart(c, deps)
      const classifier = param(c, 'classifier')
      const policy = before.scenario.uploads
      if (policy?.policy === 'reject') {
        // the scenario's upload policy: refuse every upload with its status and body
        const status = policy.status ?? 400
        throw new JumioProblem(
          { status, title: titleFor(status) },
          policy.detail ?? 'The upload was rejected',
        )
      }
      // a file holds its share of the image budget from before it is read until it is stored
      const hold = classifier === 'PREPARED_DATA' ? undefined : await reserveFile(c, deps)
      let part: NewPart | undefined
      try {
        part =
          classifier === 'PREPARED_DATA'
            ? await preparedData(c, deps, before)
            : await filePart(c, deps, declared, classifier, hold)
        // durable mode writes the file now, off the event loop; the save below only records it
        if (part.bytes) await deps.store.stageImage?.(part.bytes)
        // Checked again now that the body has arrived (a body with a Content-Length is read only
        // above): a finalize, deletion, reset or expiry may have happened while it was sent.
        const { wfe, credential } = await authorizePart(c, deps)
        await deps.workflows.upload(wfe, credential, part, hold)
        return c.json(
          uploadResponse(
            wfe,
            credential,
            part,
            deps.workflows.hrefs(wfe.origin),
            deps.workflows.clock(wfe.tenant).now(),
          ),
          200,
        )
      } finally {
        if (part?.bytes) deps.store.unstageImage?.(part.bytes)
        hold?.release()
      }
    },
  )
  // [I] a second POST replaces a part; PUT is refused (contract: updatePart)
  route('updatePart', async (c) => {
    // Only the token is checked (401/403, as the contract declares); the method decides the rest.
    await requireTransactionToken(c, deps, param(c, 'accountId'), param(c, 'workflowExecutionId'))
    allowOnly('POST')(c)
  })

  // [D] finalize: no body, {} or an empty form, all ignored (jumio-reference §9.1)
  route('finalizeWorkflowExecution', async (c) => {
    await requireTransactionToken(c, deps, param(c, 'accountId'), param(c, 'workflowExecutionId'))
    const wfe = await openWorkflowExecution(c, deps)
    // The body carries nothing: none, {}, or the tiny multipart form of Jumio's raw example.
    const missing = wfe.credentials.flatMap((x) =>
      x.classifiers.length === 0
        ? []
        : x.required.filter((p) => !(p in x.parts)).map((p) => `${x.category} ${p}`),
    )
    if (missing.length > 0) {
      // [D] not rejected by Jumio: the results show NOT_UPLOADED (jumio-reference §9.2)
      recordViolation(
        c,
        violation(
          'FINALIZE_BEFORE_UPLOADS',
          `Finalized before every required part was uploaded (missing: ${missing.join(', ')})`,
        ),
      )
    }
    await deps.workflows.finalize(wfe)
    return c.json(finalizeResponse(wfe, deps.workflows.clock(wfe.tenant).now()), 200)
  })
  return app
}

/** Token, scope and workflow status, in Jumio's order (jumio-reference §3.2). */
async function authorizePart(c: Context<AppEnv>, deps: AppDeps) {
  await requireTransactionToken(c, deps, param(c, 'accountId'), param(c, 'workflowExecutionId'))
  const wfe = await openWorkflowExecution(c, deps)
  const credential = requireCredential(wfe, param(c, 'credentialId'), param(c, 'classifier'))
  return { wfe, credential }
}

/** The workflow execution of a verified token, settled, and still taking uploads. */
async function openWorkflowExecution(
  c: Context<AppEnv>,
  deps: AppDeps,
): Promise<WorkflowExecution> {
  const id = param(c, 'workflowExecutionId')
  const found = await deps.store.locateWorkflowExecution(id)
  // [D] 404 "if the scan is not available" (jumio-reference §9.2), e.g. after deletion
  if (!found) throw problem.notFound(`Workflow execution ${id} not found`)
  const wfe = await deps.workflows.settle(found)
  answeredBy(c, wfe.scenario.name)
  if (
    (wfe.status === 'ACQUIRED' || wfe.status === 'PROCESSED') &&
    c.get('operationId') === 'uploadPart'
  ) {
    recordViolation(
      c,
      violation(
        'UPLOAD_AFTER_FINALIZE',
        `Upload to workflow execution ${wfe.id} after it was finalized (${wfe.status})`,
      ),
    )
  }
  Workflows.requireOpen(wfe)
  return wfe
}

function requireCredential(
  wfe: WorkflowExecution,
  credentialId: string,
  classifier: string,
): StoredCredential {
  const credential = wfe.credentials.find((x) => x.id === credentialId)
  if (!credential)
    throw problem.notFound(`Credential ${credentialId} not found in workflow execution ${wfe.id}`)
  if (!credential.allowedChannels.includes('API')) {
    throw problem.forbidden(
      `Credential ${credentialId} (${credential.category}) cannot be uploaded through the API channel`,
    )
  }
  if (!CLASSIFIERS.has(classifier)) throw problem.notFound(`Unknown part classifier ${classifier}`)
  if (!credential.classifiers.includes(classifier)) {
    throw problem.badRequest(
      `Part ${classifier} is not allowed for a ${credential.category} credential; allowed: ${credential.classifiers.join(', ')}`,
    )
  }
  return credential
}

/** What a streamed upload (no Content-Length) asks the image budget for at a time. */
const STREAMED_STEP = 64 * 1024

/**
 * Checks a file upload's type and declared size, then reserves in the image budget the most it
 * may bring: its Content-Length, else nothing yet (the hold grows as the body arrives, in
 * {@link filePart}). The save that stores it ends the hold.
 */
async function reserveFile(c: Context<AppEnv>, deps: AppDeps): Promise<GrowingHold> {
  const type = c.req.header('Content-Type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw problem.badRequest(
      'An image upload must be multipart/form-data with the image in the field "file"',
    )
  }
  const most = deps.config.maxUploadBytes + MULTIPART_OVERHEAD
  const length = declaredLength(c)
  if (length !== undefined && length > most) {
    abandonBody(c)
    throw tooLarge(deps.config.maxUploadBytes, 'upload')
  }
  // streamed: nothing yet, the hold grows as the body arrives
  return deps.images.reserve(length ?? 0)
}

async function filePart(
  c: Context<AppEnv>,
  deps: AppDeps,
  credential: StoredCredential,
  classifier: string,
  hold: GrowingHold | undefined,
): Promise<NewPart> {
  const type = c.req.header('Content-Type') ?? ''
  const max = deps.config.maxUploadBytes
  // streamed, without a Content-Length: the hold grows as the body arrives
  const room =
    hold && declaredLength(c) === undefined
      ? { step: STREAMED_STEP, room: (n: number) => hold.grow(n) }
      : undefined
  const file = await readMultipartFile(bodyStream(c), type, 'file', max, room).catch(
    (err: unknown) => {
      // left part-way (no room could be asked for): the connection closes after the answer
      abandonBody(c)
      throw err
    },
  )
  if ('problem' in file) {
    // the rest of the body is not read: the connection closes after the answer
    if (file.problem === 'too-large') {
      abandonBody(c)
      throw tooLarge(max, 'upload')
    }
    if (file.problem === 'no-room') {
      abandonBody(c)
      throw new JumioProblem(
        PROBLEMS.insufficientStorage,
        `The mock's image budget (--max-image-bytes) cannot hold this upload as it arrives (${String(file.read)} bytes so far, without a Content-Length); finalize, delete or let some workflow executions expire, or raise --max-image-bytes`,
      )
    }
    throw problem.badRequest(MULTIPART_PROBLEMS[file.problem])
  }
  const { bytes, size } = file
  if (size === 0) throw problem.badRequest('The uploaded file is empty')
  const part: NewPart = {
    id: deps.ids(),
    classifier,
    contentType: 'application/octet-stream',
    size,
    bytes,
  }
  // [D] WF16's FACEMAP is a binary blob (jumio-reference §5.2): no image rules apply
  if (classifier === 'FACEMAP') return part
  const summary = inspectUpload(bytes, classifier, credential.category === 'DOCUMENT')
  // the journal keeps what the image is, never its bytes
  c.set('requestSummary', { multipart: 'file', classifier, ...summary })
  return {
    ...part,
    contentType: summary.contentType,
    ...(summary.width !== undefined && { width: summary.width, height: summary.height }),
  }
}

/** The value at a dotted path (`address.country`) of a JSON value, if any. */
function valueAt(json: unknown, path: string): unknown {
  let at: unknown = json
  for (const key of path.split('.')) {
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined
  }
  return at
}

/** Whether the value at `pointer` is a phone number that is E.164 once spaces, dashes, dots go. */
function separatedE164(json: unknown, pointer: string): boolean {
  if (pointer !== '/phoneNumber' && pointer !== '/phoneNumber2') return false
  const value = (json as Record<string, unknown>)[pointer.slice(1)]
  return typeof value === 'string' && /^\+[1-9]\d{1,14}$/.test(value.replace(/[\s.()-]/g, ''))
}

/** [D] PREPARED_DATA: a JSON body checked against the contract (jumio-reference §8). */
async function preparedData(
  c: Context<AppEnv>,
  deps: AppDeps,
  wfe: WorkflowExecution,
): Promise<NewPart> {
  const json = await readJson(c, deps.config.maxBodyBytes)
  recordViolation(c, ...contentTypeViolations(c.req.header('Content-Type')))
  const found = deps.contract.validateRequest('uploadPart', 'application/json', json)
  // [D] Jumio's own WF-KYX-2022 example writes a number with dashes (`+231-375-9663`), its newer
  // table E.164 (jumio-reference §8.2): such a number is taken, and recorded
  const separated = found.filter((v) => separatedE164(json, v.pointer))
  for (const v of separated) {
    recordViolation(
      c,
      violation(
        'SCHEMA',
        `${v.pointer.slice(1)} is not E.164: it has separators; Jumio's newer documentation asks for E.164 (+14155550100)`,
        v.pointer,
      ),
    )
  }
  const violations = found.filter((v) => !separated.includes(v))
  if (violations.length > 0) {
    recordViolation(c, ...schemaViolations(violations))
    throw problem.badRequest(
      `Invalid prepared data: ${violations
        .slice(0, 3)
        .map((v) => v.message)
        .join('; ')}`,
    )
  }
  // [D] fields a workflow needs (jumio-reference §8.2); what Jumio answers without them is not
  // documented: recorded, and taken
  const needs = (wfe.definition ?? deps.catalogue.get(wfe.definitionKey))?.preparedData ?? []
  const missing = needs.filter((path) => valueAt(json, path) === undefined)
  if (missing.length > 0) {
    const message = `Workflow ${wfe.definitionKey} needs ${missing.join(', ')} in its prepared data`
    recordViolation(c, violation('SCHEMA', message))
  }
  const text = JSON.stringify(json)
  return {
    id: deps.ids(),
    classifier: 'PREPARED_DATA',
    contentType: 'application/json',
    size: Buffer.byteLength(text),
    json: json as Record<string, unknown>,
  }
}
