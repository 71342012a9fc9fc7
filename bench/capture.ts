/**
 * Captures the mock's answers to one flow (bench/fixtures.ts), from the built mock itself.
 */
import type { Fixtures } from './fixtures.js'
import {
  ACCOUNT_REQUEST,
  PHOTOS,
  TOKEN_REQUEST,
  multipart,
  planOf,
  untilProcessed,
} from './flow.js'
import type { Classifier } from './flow.js'
import type { HttpClient } from './http.js'

/** Runs one flow on the mock behind `http` and keeps every answer (waits for PROCESSED). */
export async function capture(http: HttpClient): Promise<Fixtures> {
  const text = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer | string,
  ) => {
    const res = await http.send(method, path, headers, body)
    if (res.status !== 200)
      throw new Error(`capture ${method} ${path}: ${String(res.status)} ${res.body}`)
    return res.body
  }
  const token = await text('POST', '/oauth2/token', TOKEN_REQUEST.headers, TOKEN_REQUEST.body)
  const bearer = {
    Authorization: `Bearer ${(JSON.parse(token) as { access_token: string }).access_token}`,
  }
  const json = { ...bearer, 'Content-Type': 'application/json' }
  const create = await text('POST', '/api/v1/accounts', json, ACCOUNT_REQUEST)
  const plan = planOf(create)
  const tx = { Authorization: `Bearer ${plan.token}` }
  const upload = {} as Record<Classifier, string>
  for (const { classifier, path } of plan.uploads) {
    const { body, type } = multipart(PHOTOS[classifier], `${classifier.toLowerCase()}.jpg`)
    upload[classifier] = await text('POST', path, { ...tx, 'Content-Type': type }, body)
  }
  const finalize = await text('PUT', plan.finalize, tx)
  // the answer of a PROCESSED one, as the bench's mocks give it (no processing delay); details
  // and images are there once PROCESSED
  const status = await untilProcessed(http, plan, bearer.Authorization.slice(7))
  const details = await text('GET', plan.details, bearer)
  const image = await http.send('GET', plan.image, bearer, undefined, false)
  if (image.status !== 200 || image.bytes !== PHOTOS.FRONT.length) {
    throw new Error(
      `capture: the FRONT image came back as ${String(image.status)}, ${String(image.bytes)} bytes`,
    )
  }
  return {
    origin: http.base,
    token,
    create,
    upload,
    finalize,
    status,
    details,
    image: PHOTOS.FRONT.toString('base64'),
    plan,
  }
}
