import { describe, expect, it } from 'vitest'
import { samplePng } from '../../src/samples/images.js'
import { BUILT_IN_DEFINITIONS } from '../../src/model/workflow-definitions.js'
import { hrefsIn } from '../helpers/consistency.js'
import {
  accessToken,
  createAccount,
  pathOf,
  retrieve,
  uploadImage,
  uploadJson,
  USER_AGENT,
  workflowPath,
} from '../helpers/jumio.js'
import type { Created } from '../helpers/jumio.js'
import { useHttpMock } from '../helpers/http-mock.js'

const s = useHttpMock()
const DOCUMENT = { category: 'DOCUMENT', country: { values: ['USA'] }, type: { values: ['UB'] } }

/**
 * A complete flow of one definition as a client drives it: create (PUT on an existing account for
 * update-only definitions), every part the API channel may upload, finalize where the API may,
 * then status, details and steps. Returns every response body the mock handed out.
 */
async function completeFlow(key: string, updateOnly: boolean) {
  const token = await accessToken(s)
  const body = {
    customerInternalReference: `hrefs-${key}`,
    userReference: 'user-hrefs',
    workflowDefinition: { key, ...(key === '10026' && { credentials: [DOCUMENT] }) },
  }
  const existing = updateOnly
    ? await createAccount(s, token, { ...body, workflowDefinition: { key: '10011' } })
    : undefined
  const created: Created = await createAccount(s, token, body, existing?.account.id)
  const bodies: unknown[] = [created]
  let finalize: string | undefined
  for (const c of created.workflowExecution.credentials) {
    if (!c.api) continue
    finalize = c.api.workflowExecution
    for (const [name, href] of Object.entries(c.api.parts)) {
      const res =
        name === 'prepared_data'
          ? await uploadJson(s, href, c.api.token, { firstName: 'ADA', lastName: 'LOVELACE' })
          : await uploadImage(s, href, c.api.token, samplePng(1000, 1000))
      expect(res.status).toBe(200)
      bodies.push(res.body)
    }
  }
  if (finalize !== undefined) {
    const tx = created.workflowExecution.credentials.find((c) => c.api)?.api?.token ?? ''
    const res = await s.http
      .put(pathOf(finalize))
      .set('Authorization', `Bearer ${tx}`)
      .set('User-Agent', USER_AGENT)
    expect(res.status).toBe(200)
    bodies.push(res.body)
  }
  for (const tail of ['/status', '', '/steps']) {
    bodies.push((await retrieve(s, token, `${workflowPath(created)}${tail}`).expect(200)).body)
  }
  return { token, bodies }
}

describe('no href the mock hands out answers 404', () => {
  it.each(BUILT_IN_DEFINITIONS.map((d) => [d.key, d.updateOnly === true] as const))(
    'workflow %s: every href of every response of a complete flow answers',
    async (key, updateOnly) => {
      const { token, bodies } = await completeFlow(key, updateOnly)
      const hrefs = bodies.flatMap((b) => hrefsIn(b))
      // the watchlist's searchResultUrl is ComplyAdvantage's, never the mock's (jumio-reference §11)
      const foreign = hrefs.filter((h) => !h.href.startsWith(s.url))
      expect(foreign.map((h) => h.at)).toEqual(
        foreign.map(() => '/capabilities/watchlistScreening/0/data/searchResultUrl'),
      )
      const answers: string[] = []
      for (const { at, href } of hrefs.filter((h) => h.href.startsWith(s.url))) {
        // followed as a browser or a retrieval client would: GET with the access token
        const res = await retrieve(s, token, pathOf(href))
        answers.push(`${String(res.status)} ${at}`)
        // upload URLs (POST) and the account href (its GET is undocumented, jumio-reference §10.5)
        // answer 405; everything else is served
        const notGettable = /\/api\/parts\/|\/account\/href$/.test(at)
        expect([res.status, at]).toEqual([notGettable ? 405 : 200, at])
      }
      expect(answers.filter((a) => a.startsWith('404'))).toEqual([])
    },
  )
})
