/**
 * Graceful shutdown: on SIGTERM or SIGINT the mock stops accepting, lets in-flight
 * requests finish, waits for callback attempts, then exits 0, all within --shutdown-timeout.
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { kill, ready, spawnCli } from './process.js'
import type { Child } from './process.js'

let running: Child | undefined
let receiver: Server | undefined
afterEach(() => {
  kill(running)
  running = undefined
  receiver?.close()
  receiver = undefined
})

const UA = { 'User-Agent': 'AcmeBank KYC/1.0' }
const BASIC = { Authorization: `Basic ${btoa('client-a:secret')}` }

/** Makes the next token request wait `latencyMs` (an admin fault override). */
async function slowNextToken(url: string, latencyMs: number): Promise<void> {
  const res = await fetch(`${url}/__admin/scenarios/overrides`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fault: { latencyMs }, operation: 'requestAccessToken' }),
  })
  expect(res.status).toBe(201)
}

function tokenRequest(url: string): Promise<Response> {
  return fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { ...UA, ...BASIC, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  })
}

/** Whether a new TCP connection to the URL's port is accepted. */
function accepts(url: string): Promise<boolean> {
  const { port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => {
      resolve(false)
    })
  })
}

const logLines = (c: Child) =>
  c
    .stderr()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: stops accepting, finishes the in-flight request with 200, exits 0',
    async (signal) => {
      running = spawnCli(['--port', '0', '--log-format', 'json'])
      const url = await ready(running)
      await slowNextToken(url, 1500)
      const started = Date.now()
      const slow = tokenRequest(url)
      await new Promise((r) => setTimeout(r, 300))
      running.child.kill(signal)
      await expect.poll(() => accepts(url)).toBe(false)
      const res = await slow
      expect(res.status).toBe(200)
      expect(((await res.json()) as { access_token?: string }).access_token).toBeTypeOf('string')
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400)
      expect(await running.exited).toBe(0)
      const lines = logLines(running)
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'shutting down', signal }))
      expect(lines.at(-1)).toMatchObject({ msg: 'stopped', clean: true })
    },
  )

  it('gives up on requests after --shutdown-timeout and still exits 0', async () => {
    running = spawnCli(['--port', '0', '--log-format', 'json', '--shutdown-timeout', '300ms'])
    const url = await ready(running)
    await slowNextToken(url, 5000)
    const slow = tokenRequest(url).then(
      (r) => r.status,
      () => 'cut',
    )
    await new Promise((r) => setTimeout(r, 200))
    const stopping = Date.now()
    running.child.kill('SIGTERM')
    expect(await running.exited).toBe(0)
    expect(Date.now() - stopping).toBeLessThan(2000)
    expect(await slow).toBe('cut')
    expect(logLines(running)).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'shutdown timeout: closing connections with requests still in flight',
      }),
    )
  })

  it('exits 130 at once on a second signal, with the lines logged just before exiting', async () => {
    // regression guard for the batched log writes: the last line is logged in the same turn as
    // process.exit, so only the flush at exit writes it
    running = spawnCli(['--port', '0', '--log-format', 'json', '--shutdown-timeout', '20s'])
    const url = await ready(running)
    await slowNextToken(url, 10_000)
    void tokenRequest(url).catch(() => undefined)
    await new Promise((r) => setTimeout(r, 200))
    running.child.kill('SIGTERM')
    await expect
      .poll(() => logLines(running as Child).some((l) => l['msg'] === 'shutting down'))
      .toBe(true)
    running.child.kill('SIGTERM')
    expect(await running.exited).toBe(130)
    expect(logLines(running).at(-1)).toMatchObject({
      level: 'warn',
      msg: 'second signal: exiting without waiting',
    })
  })

  it('waits for a callback attempt in flight before exiting', async () => {
    const answered: number[] = []
    receiver = createServer((req, res) => {
      req.resume()
      setTimeout(() => {
        answered.push(Date.now())
        res.end()
      }, 1200)
    })
    await new Promise<void>((r) => receiver?.listen(0, '127.0.0.1', r))
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/cb`
    running = spawnCli(['--port', '0', '--log-format', 'json'])
    const url = await ready(running)
    const token = (await (await tokenRequest(url)).json()) as { access_token: string }
    const created = await fetch(`${url}/api/v1/accounts`, {
      method: 'POST',
      headers: { ...UA, Authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({
        customerInternalReference: 'shutdown',
        workflowDefinition: { key: 10011 },
        callbackUrl,
      }),
    })
    expect(created.status).toBe(200)
    const wfe = ((await created.json()) as { workflowExecution: { id: string } }).workflowExecution
    const expired = await fetch(`${url}/__admin/workflow-executions/${wfe.id}/expire`, {
      method: 'POST',
    })
    expect(expired.status).toBe(200)
    await new Promise((r) => setTimeout(r, 200))
    running.child.kill('SIGTERM')
    expect(await running.exited).toBe(0)
    const exitedAt = Date.now()
    expect(answered).toHaveLength(1)
    expect(exitedAt).toBeGreaterThanOrEqual(answered[0] ?? Infinity)
  })
})
