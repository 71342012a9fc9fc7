/**
 * The floor: how fast any mock of Jumio can run the benchmark's flow on this stack, built up
 * level by level (bench/floor-levels.ts): `node bench/floor.js <level> <fixtures.json>`, bundled
 * by the bench like the mock. Below `work` the answers are the mock's own, captured at the start
 * of the run (bench/fixtures.ts). Each level is written the cheapest way we found, since a floor
 * is only worth its name if nothing cheaper does the same work:
 * - bodies are read from Node's request, never through a web stream (a profile of the mock
 *   found that adapter alone cost 6 %, 15 % with what it calls);
 * - answers are `new Response(text, { headers: plainObject })`, which @hono/node-server writes
 *   without building a Headers object (setting them with `c.header()`
 *   cost about 25 % of a bare Hono app's requests, this nothing);
 * - multipart goes through @fastify/busboy (as the mock's does) straight from the Node request.
 * Prints "floor ready at URL" like the mock's ready line.
 */
import { serve } from '@hono/node-server'
import type { HttpBindings } from '@hono/node-server'
import { Busboy } from '@fastify/busboy'
import { Hono } from 'hono'
import type { Context } from 'hono'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { inspectUpload } from '../src/server/domain/images.js'
import { MOCK_HEAP_GROWTH, levelIndex } from './floor-levels.js'
import { rebase } from './fixtures.js'
import type { Fixtures } from './fixtures.js'
import { readFileIndexOf } from './floor-multipart.js'
import { FloorDisk } from './floor-disk.js'
import { FloorWork } from './floor-work.js'

const level = levelIndex(process.argv[2] ?? '')
if (level < 0) throw new Error('usage: floor.js <level> <fixtures.json> [indexof|group|normal]')
const [HONO, PARSE, CHECK, HEADERS, JOURNAL, WORK, HEAP, DURABLE] = [
  'hono',
  'parse',
  'check',
  'headers',
  'journal',
  'work',
  'heap',
  'durable',
].map(levelIndex) as [number, number, number, number, number, number, number, number]
const captured = JSON.parse(readFileSync(process.argv[3] ?? '', 'utf8')) as Fixtures
// variants: `indexof` reads multipart with Buffer.indexOf, not busboy; `group` and `normal`
// write to disk otherwise (bench/floor-disk.ts)
const variant = process.argv[4] ?? ''
const disk = level >= DURABLE ? await FloorDisk.open(variant) : undefined
const work = level >= WORK ? new FloorWork(disk) : undefined
if (level >= HEAP) {
  // the mock's own V8 settings (src/cli/serve.ts and its default `--heap-growth`)
  setFlagsFromString(`--heap-growing-percent=${String(MOCK_HEAP_GROWTH)}`)
  setFlagsFromString('--semi-space-growth-factor=1')
}
let fixed = captured
let origin = ''
const image = new Uint8Array(Buffer.from(captured.image, 'base64'))

/** The whole body of a Node request, in the chunks it came in (copying them costs 20 %). */
function readAll(incoming: IncomingMessage): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    incoming.on('data', (c: Buffer) => chunks.push(c))
    incoming.on('end', () => {
      resolve(chunks)
    })
    incoming.on('error', reject)
  })
}

/** The field `file` of a multipart body, read by @fastify/busboy from the Node request, as chunks. */
function readFile(incoming: IncomingMessage): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const parser = new Busboy({
      headers: { 'content-type': incoming.headers['content-type'] ?? '' },
    })
    const chunks: Buffer[] = []
    parser.on('file', (name, stream) => {
      if (name === 'file') stream.on('data', (c: Buffer) => chunks.push(c))
      else stream.resume()
    })
    parser.on('finish', () => {
      resolve(chunks)
    })
    parser.on('error', reject)
    incoming.pipe(parser)
  })
}

/**
 * The mock's image check on the first chunk and the last kilobyte: a photo's frame header is in
 * its first 64 kB, the end-of-image marker in its tail; only an image whose header comes later
 * (a large Exif block) is joined whole. Throws the mock's 400 problem.
 */
function checkImage(chunks: Buffer[], classifier: string): void {
  const first = chunks[0] ?? Buffer.alloc(0)
  const rest = chunks.slice(1)
  const tail = Buffer.concat(rest.length > 1 ? rest.slice(-2) : rest).subarray(-1024)
  try {
    inspectUpload(chunks.length === 1 ? first : Buffer.concat([first, tail]), classifier, false)
  } catch {
    inspectUpload(Buffer.concat(chunks), classifier, false)
  }
}

const journal: string[] = new Array<string>(5000)
let next = 0

/** An answer, with the four headers and a journal record from their levels on. */
function reply(
  c: Context<{ Bindings: HttpBindings }>,
  status: number,
  text: string | Uint8Array<ArrayBuffer>,
  type = 'application/json',
) {
  const headers: Record<string, string> =
    level >= HEADERS
      ? {
          'content-type': type,
          'x-request-id': randomUUID(),
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'x-mock-scenario': 'approved',
        }
      : { 'content-type': type }
  if (level >= JOURNAL) {
    const { method, url, rawHeaders } = c.env.incoming
    const body = typeof text === 'string' ? text : `${String(text.length)} bytes`
    // one flat string a record: cheaper to promote and sweep than an object graph (what the
    // mock's journal found too: docs/benchmarks.md, "Hot paths fixed")
    const head = [String(Date.now()), method, url, String(status), headers['x-request-id'] ?? '']
    journal[next++ % journal.length] = [...head, rawHeaders.join('\n'), body].join('\t')
  }
  return new Response(text, { status, headers })
}

const problem = (c: Context<{ Bindings: HttpBindings }>, status: number, detail: string) =>
  reply(c, status, JSON.stringify({ title: 'Error', status, detail }))

const app = new Hono<{ Bindings: HttpBindings }>()
app.get('/health', (c) => reply(c, 200, '{"status":"UP"}'))
app.post('/oauth2/token', async (c) => {
  const body = await readAll(c.env.incoming)
  if (
    level >= PARSE &&
    new URLSearchParams(Buffer.concat(body).toString()).get('grant_type') !== 'client_credentials'
  )
    return reply(c, 400, '{"error":"unsupported_grant_type"}')
  const token = work ? await work.token(c.req.header('authorization')) : fixed.token
  return token ? reply(c, 200, token) : reply(c, 401, '{"error":"invalid_client"}')
})
app.post('/api/v1/accounts', async (c) => {
  const body = await readAll(c.env.incoming)
  const json =
    level >= PARSE
      ? (JSON.parse(Buffer.concat(body).toString()) as { customerInternalReference?: string })
      : {}
  if (!work) return reply(c, 200, fixed.create)
  if (!work.authorized(c.req.header('authorization'))) return problem(c, 401, 'no token')
  return reply(c, 200, await work.create(json.customerInternalReference ?? '', origin))
})
app.post('/api/v1/accounts/:a/workflow-executions/:w/credentials/:c/parts/:k', async (c) => {
  const k = c.req.param('k') as keyof Fixtures['upload']
  const wfe = work?.transaction(c.req.header('authorization'))
  if (work && !wfe) return problem(c, 401, 'no token')
  const read = variant === 'indexof' ? readFileIndexOf : readFile
  const file = level >= PARSE ? await read(c.env.incoming) : await readAll(c.env.incoming)
  if (level >= CHECK) {
    try {
      checkImage(file, k)
    } catch {
      return problem(c, 400, 'bad image')
    }
  }
  return reply(c, 200, wfe && work ? await work.part(wfe, k, file) : fixed.upload[k])
})
app.put('/api/v1/accounts/:a/workflow-executions/:w', async (c) => {
  if (!work) return reply(c, 200, fixed.finalize)
  const wfe = work.transaction(c.req.header('authorization'))
  return wfe ? reply(c, 200, await work.finalize(wfe)) : problem(c, 401, 'no token')
})
app.get('/api/v1/accounts/:a/workflow-executions/:w/status', (c) => {
  if (!work) return reply(c, 200, fixed.status)
  if (!work.authorized(c.req.header('authorization'))) return problem(c, 401, 'no token')
  const status = work.status(c.req.param('w'), origin)
  return status ? reply(c, 200, status) : problem(c, 404, 'not found')
})
app.get('/api/v1/accounts/:a/workflow-executions/:w', (c) => reply(c, 200, fixed.details))
app.get('/api/v1/accounts/:a/credentials/:c/parts/:k', (c) => reply(c, 200, image, 'image/jpeg'))

/** Level 0: node:http alone, the fixed answer of the request's route once its body is read. */
function bare(): Server {
  const json = { 'content-type': 'application/json' }
  return createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = req.url ?? ''
      if (req.method === 'GET' && url.includes('/credentials/')) {
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(image)
        return
      }
      const text =
        url === '/oauth2/token'
          ? fixed.token
          : url === '/api/v1/accounts'
            ? fixed.create
            : req.method === 'POST'
              ? fixed.upload[url.slice(url.lastIndexOf('/') + 1) as keyof Fixtures['upload']]
              : req.method === 'PUT'
                ? fixed.finalize
                : url.endsWith('/status') || url === '/health'
                  ? fixed.status
                  : fixed.details
      res.writeHead(200, json).end(text)
    })
  })
}

const server: Server =
  level >= HONO
    ? (serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server)
    : bare().listen(0, '127.0.0.1')
server.once('listening', () => {
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${String(port)}`
  fixed = rebase(captured, origin)
  console.log(`floor ready at ${origin}`)
})
process.on('SIGTERM', () => {
  disk?.close()
  process.exit(0)
})
