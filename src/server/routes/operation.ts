/**
 * @module Small helpers shared by the routes.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../env.js'
import { JumioProblem, PROBLEMS, problem } from '../errors.js'
import { readBody } from '../request-body.js'

/** A handler answering 405 with the `Allow` header a 405 must carry (RFC 9110 §15.5.6). */
export function allowOnly(...methods: string[]): (c: Context) => never {
  return function notAllowed(c) {
    throw new JumioProblem(
      PROBLEMS.methodNotAllowed,
      `Method ${c.req.method} is not allowed on ${c.req.path}`,
      { Allow: methods.join(', ') },
    )
  }
}

/** Reads a JSON body of at most `limit` bytes; an empty or malformed one is a 400 problem. */
export async function readJson(
  c: Context<AppEnv>,
  limit: number,
  options: { optional?: boolean } = {},
): Promise<unknown> {
  // a byte order mark, which RFC 8259 lets a parser ignore and Jackson does (some .NET clients
  // send one): ignored
  const text = (await readBody(c, limit)).toString('utf8').replace(/^\uFEFF/, '')
  if (text.trim() === '') {
    if (options.optional) return {}
    throw problem.badRequest('A JSON request body is required')
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw problem.badRequest('The request body is not valid JSON')
  }
}

/** A path parameter, which routing guarantees is present. */
export function param(c: Context, name: string): string {
  return c.req.param(name) ?? ''
}
