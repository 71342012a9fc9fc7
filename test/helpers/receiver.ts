/**
 * A real local HTTP server that receives callbacks and answers as a test tells it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A received callback. */
export interface Received {
  body: Record<string, unknown>
  headers: Record<string, string | string[] | undefined>
}

/** A running callback receiver. */
export interface Receiver {
  url: string
  received: Received[]
  /** Status codes to answer with, in order; 200 once they run out. */
  answers: number[]
  /** How long to wait before answering (0 by default). */
  delayMs: number
  close: () => Promise<void>
  waitFor: (count: number, timeoutMs?: number) => Promise<Received[]>
}

/** Starts a receiver on a free loopback port. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = []
  const answers: number[] = []
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => (text += chunk.toString()))
    req.on('end', () => {
      received.push({
        body: JSON.parse(text || '{}') as Record<string, unknown>,
        headers: req.headers,
      })
      res.statusCode = answers.shift() ?? 200
      setTimeout(() => res.end(), receiver.delayMs)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    answers,
    delayMs: 0,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve()
        })
      }),
    waitFor: async (count, timeoutMs = 5000) => {
      const until = Date.now() + timeoutMs
      while (received.length < count) {
        if (Date.now() > until)
          throw new Error(`expected ${count} callbacks, got ${received.length}`)
        await new Promise((r) => setTimeout(r, 10))
      }
      return received
    },
  }
  return receiver
}
