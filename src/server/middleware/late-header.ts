/**
 * @module Setting a header on a response a route has already built. Hono's `c.header` then copies
 * the response, which makes @hono/node-server turn its lightweight response into a full web
 * `Response` (a third of a status read's time, measured). The built response's own headers are
 * mutable, so set them in place; only an immutable one (e.g. `Response.error()`) is copied.
 */
import type { Context } from 'hono'

/** Sets `name` on the response `c.res`, in place when it can. */
export function setLateHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value)
  } catch {
    c.header(name, value)
  }
}
