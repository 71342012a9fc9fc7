/**
 * Request bodies the journal reads first (JSON and forms up to 64 KiB with a Content-Length):
 * `--max-body-bytes` below that bound still refuses them with 413, and a client that goes away
 * before the body's end leaves a journal entry (400) instead of a route that waits for ever.
 */
import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { accessToken } from '../helpers/jumio.js'
import { USER_AGENT } from '../helpers/jumio.js'
import { useTestServer } from '../helpers/server.js'

const s = useTestServer(['--max-body-bytes', '1000'])
const basic = `Basic ${Buffer.from('body-client:secret').toString('base64')}`
const form = (size: number) => `grant_type=client_credentials&pad=${'a'.repeat(size - 34)}`

interface Entry {
  path: string
  status: number
}
const journal = async () =>
  ((await (await fetch(`${s.url}/__admin/journal`)).json()) as { entries: Entry[] }).entries

describe('bodies the journal reads first', () => {
  it('are refused over --max-body-bytes, with a Content-Length, as the route reads them', async () => {
    const token = (body: string) =>
      fetch(`${s.url}/oauth2/token`, {
        method: 'POST',
        headers: {
          Authorization: basic,
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': USER_AGENT,
        },
        body,
      })
    expect(form(1000)).toHaveLength(1000)
    expect((await token(form(1000))).status).toBe(200)
    const refused = await token(form(1001))
    expect(refused.status).toBe(413)
    expect(await refused.json()).toMatchObject({
      status: 413,
      detail: 'The request body exceeds the maximum size of 1000 bytes',
    })

    const access = await accessToken(s)
    const create = await fetch(`${s.url}/api/v1/accounts`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${access}`,
        'Content-Type': 'application/json',
        'User-Agent': USER_AGENT,
      },
      body: JSON.stringify({
        customerInternalReference: 'x'.repeat(1500),
        workflowDefinition: { key: 10011 },
      }),
    })
    expect(create.status).toBe(413)
  })

  it('leave a journal entry when the client goes away before the end', async () => {
    const before = (await journal()).length
    const partial =
      'POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Authorization: ${basic}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      'Content-Length: 29\r\n\r\ngrant_type'
    const { port } = new URL(s.url)
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(partial, () => setTimeout(() => socket.destroy(), 50))
        })
        socket.on('close', () => {
          resolve()
        })
        socket.on('error', reject)
      })
    }
    await expect.poll(async () => (await journal()).length - before, { timeout: 3000 }).toBe(3)
    const entries = await journal()
    for (const e of entries.slice(-3))
      expect(e).toMatchObject({ path: '/oauth2/token', status: 400 })
    // and the mock goes on answering
    expect((await fetch(`${s.url}/`)).status).toBe(200)
  })
})
