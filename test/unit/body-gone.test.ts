/**
 * A body whose client went away before the mock began to read it (during a scenario's latency,
 * say): a destroyed request emits nothing more, so the read must fail at once (400), never wait
 * for events that will not come. Real Node requests on a real socket.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Context } from 'hono'
import type { AppEnv } from '../../src/server/env.js'
import { readMultipartFile } from '../../src/server/domain/multipart.js'
import { readBody } from '../../src/server/request-body.js'

let server: Server | undefined
afterEach(() => {
  server?.close()
})

/** The request of a client that sends half its body and leaves, once the server has seen it go. */
async function abandoned(type: string): Promise<IncomingMessage> {
  const gone = new Promise<IncomingMessage>((resolve) => {
    server = createServer((incoming) => {
      incoming.once('close', () => {
        resolve(incoming)
      })
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const { port } = server?.address() as AddressInfo
  const socket = connect(port, '127.0.0.1', () => {
    socket.write(
      `POST /x HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: 1000\r\n\r\n{"a":`,
      () => socket.destroy(),
    )
  })
  const incoming = await gone
  expect(incoming.destroyed).toBe(true)
  return incoming
}

/** The bits of Hono's context that readBody uses. */
function context(incoming: IncomingMessage): Context<AppEnv> {
  const vars = new Map<string, unknown>()
  return {
    env: { incoming },
    get: (key: string) => vars.get(key),
    set: (key: string, value: unknown) => vars.set(key, value),
    req: { header: (name: string) => incoming.headers[name.toLowerCase()] },
  } as unknown as Context<AppEnv>
}

describe('a body whose client left before it was read', () => {
  it('is a 400 at once for a JSON read, and for every read after it', async () => {
    const c = context(await abandoned('application/json'))
    await expect(readBody(c, 1_000_000)).rejects.toMatchObject({ status: 400 })
    expect(c.get('bodyLost')).toMatchObject({ status: 400 })
    await expect(readBody(c, 1_000_000)).rejects.toMatchObject({ status: 400 })
  })

  it('is a 400 at once for a multipart read', async () => {
    const incoming = await abandoned('multipart/form-data; boundary=b')
    await expect(
      readMultipartFile(incoming, 'multipart/form-data; boundary=b', 'file', 1_000_000),
    ).rejects.toMatchObject({ status: 400 })
  })
})
