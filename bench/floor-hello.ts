/**
 * The start-up floor: a Hono app on @hono/node-server that answers its health check and nothing
 * else, bundled like `dist/main.js` (bench/targets.ts). Spawn to healthy and idle RSS of the least
 * a Hono server costs. Prints "floor ready at URL".
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'

const app = new Hono()
app.get(
  '/health',
  () => new Response('{"status":"UP"}', { headers: { 'content-type': 'application/json' } }),
)
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo
  console.log(`floor ready at http://127.0.0.1:${String(port)}`)
})
process.on('SIGTERM', () => process.exit(0))
