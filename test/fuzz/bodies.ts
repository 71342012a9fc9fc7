/**
 * Arbitraries for request bodies: random and mutated JSON, raw multipart with random parts,
 * deep nesting, random bytes, each with the content type it claims (sometimes a lie).
 */
import fc from 'fast-check'

/** A body to send and the content type it is sent with ('' sends none). */
export interface FuzzBody {
  label: string
  contentType: string
  body?: Uint8Array | string
}

const VALID_ACCOUNT = {
  customerInternalReference: 'fuzz',
  userReference: 'u',
  workflowDefinition: {
    key: 10011,
    credentials: [{ category: 'ID', country: { values: ['USA'] } }],
  },
  callbackUrl: 'http://127.0.0.1:9/cb',
}
const VALID_PREPARED = { firstName: 'ADA', lastName: 'LOVELACE', dateOfBirth: '1815-12-10' }

/** Sets an own property, even one named `__proto__`, without touching any prototype. */
function put(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * Sets, replaces or deletes the value at a random path of an object. Only own properties are
 * followed: the tests share the server's process, so `__proto__` must stay a plain key here.
 */
function mutate(base: unknown, path: string[], value: unknown, del: boolean): unknown {
  const copy = structuredClone(base) as Record<string, unknown>
  let node: Record<string, unknown> = copy
  for (const [i, step] of path.entries()) {
    const next = Object.hasOwn(node, step) ? node[step] : undefined
    if (i === path.length - 1 || typeof next !== 'object' || next === null) {
      if (del) Reflect.deleteProperty(node, step)
      else put(node, step, value)
      break
    }
    node = next as Record<string, unknown>
  }
  return copy
}

const KEYS = [
  'customerInternalReference',
  'userReference',
  'workflowDefinition',
  'key',
  'credentials',
  'capabilities',
  'callbackUrl',
  'tokenLifetime',
  'web',
  'firstName',
  'dateOfBirth',
  '__proto__',
  'constructor',
]

/** A valid body with one field replaced by any JSON value, or deleted. */
const mutatedJson = fc
  .tuple(
    fc.constantFrom(VALID_ACCOUNT, VALID_PREPARED),
    fc.array(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 3 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.boolean(),
  )
  .map(([base, path, value, del]) => JSON.stringify(mutate(base, path, value, del)))

const nested = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom('{"a":', '['))
  .map(([n, open]) => open.repeat(n) + (open === '[' ? ']' : '1}').repeat(n))

/** A multipart part: a name, maybe a filename and a type, and some bytes. */
const partArb = fc.record({
  name: fc.oneof(fc.constantFrom('file', 'FILE', 'image', ''), fc.string({ maxLength: 10 })),
  filename: fc.option(fc.constantFrom('a.jpg', 'a.png', '../../x', '"', 'a\u00e9.pdf')),
  type: fc.option(fc.constantFrom('image/jpeg', 'image/png', 'text/plain', 'application/json')),
  bytes: fc.uint8Array({ maxLength: 300 }),
})

/** A raw multipart body, sometimes with a broken end. */
const multipart = fc
  .tuple(fc.array(partArb, { maxLength: 3 }), fc.boolean(), fc.constantFrom('xyz', 'a b', '-'))
  .map(([parts, broken, boundary]) => {
    const chunks: Buffer[] = []
    for (const p of parts) {
      const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`
      const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`
      chunks.push(Buffer.from(head), Buffer.from(p.bytes), Buffer.from('\r\n'))
    }
    if (!broken) chunks.push(Buffer.from(`--${boundary}--\r\n`))
    return {
      label: 'multipart',
      contentType: `multipart/form-data; boundary=${boundary}`,
      body: new Uint8Array(Buffer.concat(chunks)),
    }
  })

const anyType = fc.constantFrom(
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data',
  'application/json; charset=utf-16',
  'image/jpeg',
  '',
)

/** Any body a client might send, well-formed or not. */
export const bodyArb: fc.Arbitrary<FuzzBody> = fc.oneof(
  fc.constant({ label: 'none', contentType: '' }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({
    label: 'random json',
    contentType: 'application/json',
    body: JSON.stringify(v),
  })),
  mutatedJson.map((body) => ({ label: 'mutated json', contentType: 'application/json', body })),
  nested.map((body) => ({ label: 'deep json', contentType: 'application/json', body })),
  multipart,
  fc
    .tuple(fc.uint8Array({ maxLength: 500 }), anyType)
    .map(([body, contentType]) => ({ label: 'random bytes', contentType, body })),
  fc
    .tuple(fc.string({ maxLength: 200 }), anyType)
    .map(([body, contentType]) => ({ label: 'random text', contentType, body })),
)
