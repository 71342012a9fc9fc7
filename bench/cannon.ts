/**
 * The load generator's process: runs autocannon once with the options in the JSON file named by
 * argv[2] (body as base64; a megabyte body does not fit in an argument) and prints one JSON line
 * of results, so that the generator never shares an event loop with the runner or the server.
 */
import autocannon from 'autocannon'
import { readFileSync } from 'node:fs'

/** What the runner asks for. */
export interface CannonSpec {
  url: string
  method: 'GET' | 'POST' | 'PUT'
  headers: Record<string, string>
  bodyBase64?: string
  connections: number
  seconds: number
}

/** What comes back. */
export interface CannonResult {
  rps: number
  p50: number
  p99: number
  non2xx: number
  errors: number
  total: number
}

const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as CannonSpec
const result = await autocannon({
  url: spec.url,
  method: spec.method,
  headers: spec.headers,
  ...(spec.bodyBase64 !== undefined && { body: Buffer.from(spec.bodyBase64, 'base64') }),
  connections: spec.connections,
  duration: spec.seconds,
})
const out: CannonResult = {
  rps: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  total: result.requests.total,
}
console.log(JSON.stringify(out))
