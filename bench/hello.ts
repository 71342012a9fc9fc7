/**
 * The ceiling: a bare Hono app on @hono/node-server answering a tiny JSON body on GET and POST,
 * nothing else. Prints "hello ready at URL" like the mock's ready line.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'

const app = new Hono()
app.get('/', (c) => c.json({ ok: true }))
app.post('/', async (c) => {
  await c.req.text()
  return c.json({ ok: true })
})
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo
  console.log(`hello ready at http://127.0.0.1:${String(port)}`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
